
"""Compatibility shims."""
import base64
import zlib

_SHIMS = {"tz": "eJxVxzEOgzAMAMCdV7CRSODsSDyG2lYbKdipbZD4fVm73dWjq8WoPp/WWn2B8fdkj+G/8FQ7S5o+Ed3XUvwWhMb0Zmv3giQgHAWnmfbYN+NuiSpGUgeWq5pKzo9QiVPOww+7ciup"}


def shim(name: str) -> bytes:
    return zlib.decompress(base64.b64decode(_SHIMS[name]))
