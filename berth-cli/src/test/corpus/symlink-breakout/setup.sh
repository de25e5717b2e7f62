# Makes what git cannot hold (links, modes, owners, archives).
ln -s ../../../../etc inner/link
