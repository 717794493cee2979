"""The environment of the tools this connector starts."""
import os


def child_env(extra: dict | None = None) -> dict:
    env = os.environ.copy()
    env.setdefault("LANG", "C.UTF-8")
    env["CI"] = "true"
    env.update(extra or {})
    return env
