"""The marketplace HTTP service (``argent-marketplace``)."""
