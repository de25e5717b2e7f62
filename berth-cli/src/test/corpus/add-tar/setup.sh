# Makes what git cannot hold (links, modes, owners, archives).
mkdir test
echo Hi > test/foo
chown -R 1234:4321 test
tar --numeric-owner -cf test.tar test
rm -r test
