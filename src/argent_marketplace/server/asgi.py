"""An app built from the environment, for ``uvicorn --factory`` and several workers."""

from __future__ import annotations

from fastapi import FastAPI

from argent_marketplace.server.app import create_app
from argent_marketplace.server.settings import Settings

__all__ = ["app_from_env"]


def app_from_env() -> FastAPI:
    """``create_app`` with ``Settings.from_env()``: every worker reads the same settings."""
    return create_app(Settings.from_env())
