# Makes what git cannot hold (links, modes, owners, archives).
mkdir -p x/a/b
echo c > x/a/b/c
chmod 0711 x/a
tar -C x -cf t.tar a/b/c
rm -r x
