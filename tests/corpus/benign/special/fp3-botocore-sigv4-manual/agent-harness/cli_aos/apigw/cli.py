"""Call an IAM-authorised API Gateway endpoint, signed with botocore's SigV4Auth."""
import json

import boto3
import click
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest


@click.command()
@click.argument("url")
@click.option("--region", default="us-east-1")
def main(url: str, region: str) -> None:
    creds = boto3.Session().get_credentials().get_frozen_credentials()
    req = AWSRequest(method="GET", url=url)
    SigV4Auth(creds, "execute-api", region).add_auth(req)
    r = requests.get(url, headers=dict(req.headers), timeout=20)
    click.echo(json.dumps(r.json(), indent=2))
