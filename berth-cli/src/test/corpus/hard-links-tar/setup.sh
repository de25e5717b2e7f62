# Makes what git cannot hold (links, modes, owners, archives).
mkdir x
echo one > x/a
ln x/a x/b
tar -C x -cf links.tar a b
rm -r x
