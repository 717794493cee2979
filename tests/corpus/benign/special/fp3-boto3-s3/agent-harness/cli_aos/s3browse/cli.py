import boto3
import click


@click.group()
def main():
    """S3."""


@main.command("object.list")
@click.argument("bucket")
def object_list(bucket):
    s3 = boto3.client("s3")
    for o in s3.list_objects_v2(Bucket=bucket, MaxKeys=50).get("Contents", []):
        click.echo(f"{o['Size']:>12} {o['Key']}")


@main.command("object.share")
@click.argument("bucket")
@click.argument("key")
def object_share(bucket, key):
    url = boto3.client("s3").generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=3600)
    click.echo(url)
