"""What ``pack`` leaves out: build junk, secrets-by-convention, and ``.argentignore``.

``.argentignore`` uses .gitignore syntax (via ``pathspec``): ``#`` comments,
``dir/`` for folders only, leading ``/`` to anchor at the connector root, and
``!pattern`` to re-include something a default rule dropped.
"""

from __future__ import annotations

from pathlib import Path

import pathspec

from argent_marketplace.package.errors import SourceError

__all__ = ["DEFAULT_IGNORES", "IGNORE_FILE", "IgnoreRules"]

IGNORE_FILE = ".argentignore"
DEFAULT_IGNORES = (
    ".venv/",
    "__pycache__/",
    "*.pyc",
    "*.pyo",
    ".git/",
    ".pytest_cache/",
    "*.egg-info/",
    ".DS_Store",
    ".mypy_cache/",
    ".ruff_cache/",
    ".tox/",
    ".hypothesis/",
    # Local secrets by convention: connectors read service keys from the environment.
    ".env",
    ".env.*",
    # Outputs of pack and sign, never inputs.
    "*.argent-pkg",
    "/SHA256SUMS",
    "/SIGNATURE",
    "/" + IGNORE_FILE,
)


class IgnoreRules:
    """Default ignores followed by the folder's ``.argentignore`` (later lines win)."""

    def __init__(self, extra_lines: list[str]) -> None:
        self._spec = pathspec.GitIgnoreSpec.from_lines([*DEFAULT_IGNORES, *extra_lines])

    @classmethod
    def for_folder(cls, folder: Path) -> IgnoreRules:
        """Rules for ``folder``, reading its ``.argentignore`` when there is one.

        Raises:
            SourceError: ``invalid-ignore-file`` when it cannot be read, is not UTF-8
                or holds an invalid pattern (guessing would pack what was meant out).
        """
        path = folder / IGNORE_FILE
        if not path.is_file():
            return cls([])
        try:
            return cls(path.read_text(encoding="utf-8").splitlines())
        except OSError as exc:
            raise _bad_ignore_file(f"cannot be read: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise _bad_ignore_file(f"is not UTF-8 (byte {exc.start})") from exc
        except ValueError as exc:  # pathspec's invalid-pattern error
            raise _bad_ignore_file(f"has an invalid pattern: {exc}") from exc

    def ignored(self, rel_path: str, *, is_dir: bool) -> bool:
        """Whether ``rel_path`` (POSIX, relative to the folder) stays out of the package."""
        return self._spec.match_file(rel_path + "/" if is_dir else rel_path)


def _bad_ignore_file(problem: str) -> SourceError:
    return SourceError(
        f"{IGNORE_FILE} {problem}",
        code="invalid-ignore-file",
        hint="save it as UTF-8 text with one .gitignore-style pattern per line",
        details={"member": IGNORE_FILE},
    )
