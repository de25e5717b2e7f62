# Makes what git cannot hold (links, modes, owners, archives).
mkdir test
echo Hi > test/foo
tar --numeric-owner -cf test.tar test
rm -r test
