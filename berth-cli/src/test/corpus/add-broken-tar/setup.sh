# Makes what git cannot hold (links, modes, owners, archives).
mkdir test
echo Hi > test/foo
tar -cf test.tar test
rm -r test
head -c 1500 test.tar > t && mv t test.tar
