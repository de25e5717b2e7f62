# Makes what git cannot hold (links, modes, owners, archives).
mkdir foo
ln -s ../target foo/bar
