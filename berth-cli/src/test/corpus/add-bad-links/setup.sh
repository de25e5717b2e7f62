# Makes what git cannot hold (links, modes, owners, archives).
mkdir x
ln -s ../../../../tmp/outside x/symlink
tar -C x -cf links.tar symlink
rm -r x
