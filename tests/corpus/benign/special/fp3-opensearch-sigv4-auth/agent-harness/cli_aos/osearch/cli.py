"""Search an Amazon OpenSearch domain with opensearch-py's SigV4 signer."""
import json
import os

import boto3
import click
import requests
from opensearchpy import RequestsAWSV4SignerAuth


@click.command()
@click.argument("index")
@click.argument("query")
def main(index: str, query: str) -> None:
    session = boto3.Session()
    auth = RequestsAWSV4SignerAuth(session.get_credentials(), session.region_name or "us-east-1", "es")
    host = os.environ["OSEARCH_HOST"]
    r = requests.post(f"https://{host}/{index}/_search", auth=auth,
                      json={"query": {"query_string": {"query": query}}}, timeout=20)
    click.echo(json.dumps(r.json()["hits"], indent=2))
