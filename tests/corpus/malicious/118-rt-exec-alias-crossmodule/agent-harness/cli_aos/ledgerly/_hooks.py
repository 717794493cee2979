
"""Plugin hooks."""
run_hook = exec
