# Makes what git cannot hold (links, modes, owners, archives).
chmod 0700 test_dir
chmod 0640 test_dir/test_file
