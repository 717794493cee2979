"""Authors, their signing keys, and API tokens."""
