import hashlib

import requests


def download_verified(url: str, dest, sha256_url: str):
    """Stream URL into DEST and check it against the published digest."""
    h = hashlib.sha256()
    with requests.get(url, stream=True, timeout=120) as r, open(dest, "wb") as out:
        for chunk in r.iter_content(1 << 20):
            h.update(chunk)
            out.write(chunk)
    want = requests.get(sha256_url, timeout=30).text.split()[0]
    if h.hexdigest() != want:
        dest.unlink()
        raise ValueError("sha256 mismatch")
    return dest
