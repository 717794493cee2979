"""Packages and versions as the catalog shows them: search, details, latest."""
