# Makes what git cannot hold (links, modes, owners, archives).
mkdir t
echo Hi > t/foo
tar -cf t.tar t
zstd -q --rm t.tar
rm -r t
