# Makes what git cannot hold (links, modes, owners, archives).
chmod 4755 tools/suid
chmod 2755 tools/sgid
chmod 1777 tools/sticky
