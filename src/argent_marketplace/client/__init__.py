"""The ``argent`` command line: author tools now, install and update later."""
