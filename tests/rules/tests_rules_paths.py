"""Where the shared gogen fixtures are (read in place, never copied)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import GOGEN_DIR, gogen_file

__all__ = ["GOGEN_DIR", "gogen"]


def gogen(name: str) -> Path:
    """The file, or a skip naming it when `../shared` is not beside the checkout."""
    return gogen_file(name)
