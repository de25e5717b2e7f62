# Makes what git cannot hold (links, modes, owners, archives).
chown 4242:4242 test
