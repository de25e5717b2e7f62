# Makes what git cannot hold (links, modes, owners, archives).
mkdir test
echo Hi > test/foo
tar -cf test.tar test
xz -k test.tar
rm -r test test.tar
