import pytest

from cli_aos.webfetch.cli import _safe


@pytest.mark.parametrize("url", [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "http://metadata.google.internal/computeMetadata/v1/instance/service-accounts/default/token",
    "http://169.254.170.2/v2/credentials/abc",
])
def test_metadata_refused(url):
    assert not _safe(url)
