# Makes what git cannot hold (links, modes, owners, archives).
ln -s dir foo
