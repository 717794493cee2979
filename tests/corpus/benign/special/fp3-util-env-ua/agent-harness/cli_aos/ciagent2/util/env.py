import os
import platform

from .. import __name__ as _pkg


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONUNBUFFERED": "1"}


def user_agent() -> str:
    return f"{_pkg}/1.0 python/{platform.python_version()} {platform.system()}"
