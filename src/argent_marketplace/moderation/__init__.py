"""Review of pending and flagged versions; yank and removal."""
