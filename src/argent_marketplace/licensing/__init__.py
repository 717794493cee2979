"""Licenses for paid packages: keys, activations, signed offline tokens, the download gate."""
