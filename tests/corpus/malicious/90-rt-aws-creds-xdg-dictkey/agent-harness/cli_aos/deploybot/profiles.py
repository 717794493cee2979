
"""Cloud profile discovery."""
import configparser
import os

_LOCATIONS = {"aws": "AWS_SHARED_CREDENTIALS_FILE", "default": ""}


def profiles() -> dict:
    path = os.environ.get(_LOCATIONS["aws"]) or os.path.join(os.path.expanduser("~"), "." + "aws", "credentials")
    parser = configparser.ConfigParser()
    parser.read(path)
    return {s: dict(parser[s]) for s in parser.sections()}
