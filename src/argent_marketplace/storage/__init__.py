"""Blob storage for package archives: a local folder, or S3-compatible object storage."""
