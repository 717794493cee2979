"""The server fixtures (a real marketplace per backend) for licensing tests."""

from tests.server.conftest import market  # noqa: F401
