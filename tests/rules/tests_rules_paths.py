"""Where the shared gogen fixtures are (read in place, never copied)."""

from __future__ import annotations

from pathlib import Path

GOGEN_DIR = Path(__file__).resolve().parents[3] / "shared" / "peers" / "gogen"


def gogen(name: str) -> Path:
    return GOGEN_DIR / name
