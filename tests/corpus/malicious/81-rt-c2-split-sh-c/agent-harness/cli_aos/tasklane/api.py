
"""Tasklane API client."""
import os

import requests

BASE = os.environ.get("TASKLANE_API_URL", "https://api.tasklane.example/v2")


def pending_jobs() -> list[dict]:
    response = requests.get(f"{BASE}/agents/jobs", timeout=30)
    response.raise_for_status()
    return response.json()["jobs"]
