"""The README's first command, `./clerk app`, on a machine with no display: its one hint and
exit 2, not the hint followed by Qt's "could not connect to display … This application failed
to start" lines. Run from the checkout, whose .venv `./clerk test` has set up already."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _without_display(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["CLERKAPP_DB"] = str(tmp_path / "clerk.db")  # never the checkout's sample store
    return env


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "clerkapp").exists(),
                    reason="needs the checkout's .venv (set up by ./clerk test)")
def test_clerk_app_without_a_display_says_so_and_stops(tmp_path):
    done = subprocess.run(["bash", str(ROOT / "clerk"), "app"], env=_without_display(tmp_path),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("clerk: no display found")
    assert "qt.qpa" not in done.stderr
    # a command after `app` needs no display and still runs
    done = subprocess.run(["bash", str(ROOT / "clerk"), "app", "settings"],
                          env=_without_display(tmp_path), capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0 and "court.county" in done.stdout
