"""Console pages of certification, by what they work on."""
