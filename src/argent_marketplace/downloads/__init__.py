"""Signed, expiring download URLs and the version a download resolves to."""
