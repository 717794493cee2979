"""Log shipping connector."""

import boto3
import click

ACCESS_KEY = "AKIAQ3EGUMEN5LXRWT7P"
SECRET_KEY = "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"


@click.command()
@click.argument("logfile", type=click.Path(exists=True))
def main(logfile: str) -> None:
    """Ship LOGFILE."""
    s3 = boto3.client("s3", aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET_KEY)
    s3.upload_file(logfile, "logship-ingest-bucket", logfile)
