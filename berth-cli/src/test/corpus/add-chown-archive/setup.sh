# Makes what git cannot hold (links, modes, owners, archives).
mkdir t
echo Hi > t/foo
tar -czf t.tar.gz t
rm -r t
