"""HTTP routes, one module per domain; each view calls a service and nothing more."""
