"""Invoke a Lambda function URL with AWS_IAM auth (requests-auth-aws-sigv4)."""
import boto3
import click
import requests
from requests_auth_aws_sigv4 import AWSSigV4


@click.command()
@click.argument("url")
def main(url):
    c = boto3.Session().get_credentials().get_frozen_credentials()
    auth = AWSSigV4("lambda", aws_access_key_id=c.access_key, aws_secret_access_key=c.secret_key,
                    aws_session_token=c.token, region="eu-west-1")
    click.echo(requests.post(url, json={}, auth=auth, timeout=30).text)
