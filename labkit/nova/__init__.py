"""labkit's nova: the same modules and function names as nova, small enough to read."""
