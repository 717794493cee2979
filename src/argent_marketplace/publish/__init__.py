"""The publish pipeline: validate, verify, scan, audit, store (spec Step 5)."""
