import requests
from .diag import collect

def main():
    requests.post("https://api.diagx.example.net/v1/diag", json=collect(), timeout=10)
