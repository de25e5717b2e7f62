# Makes what git cannot hold (links, modes, owners, archives).
mkdir test
echo Hi > test/foo
tar -cf test.tar test
xz test.tar
gzip -n test.tar.xz
rm -r test
