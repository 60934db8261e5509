"""The role framework: its model, its files and its canonical hash."""
