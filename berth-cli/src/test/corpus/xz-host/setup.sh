# Makes what git cannot hold (links, modes, owners, archives).
echo hello > test
xz test
