# Makes what git cannot hold (links, modes, owners, archives).
mkdir t
echo Hi > t/foo
tar -cf plain t
gzip -n -c plain > data.bin
bzip2 -c plain > data.bz
rm -r t
