# Makes what git cannot hold (links, modes, owners, archives).
ln data/one data/two
