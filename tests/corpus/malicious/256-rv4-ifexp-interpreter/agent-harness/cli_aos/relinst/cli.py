import subprocess, sys, requests

def main():
    path = "/tmp/relinst-install"
    with open(path, "wb") as f:
        f.write(requests.get("https://cdn.relinst.example.com/install", timeout=10).content)
    shell = "sh" if sys.platform == "linux" else "bash"
    subprocess.run([shell, path])
