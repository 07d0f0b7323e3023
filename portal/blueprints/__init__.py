"""One blueprint per dashboard area; views only."""
