"""The Windows installer's `/DB=`: the script still builds (makensis, with a stand-in bundle as
installer/build-windows.sh's upgrade test uses), and the clerkapp.ini it writes is what the
app reads as its default store. The install itself is smoke-tested under Wine by
installer/build-windows.sh (step install-db)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from clerkapp.paths import INSTALL_SETTINGS, default_db_path
from tests.conftest import REPO_ROOT

NSI = REPO_ROOT / "installer" / "windows" / "clerkapp.nsi"


def test_the_installer_script_builds(tmp_path):
    makensis = shutil.which("makensis")
    if makensis is None:
        pytest.skip("needs makensis (Debian package nsis)")
    src = tmp_path / "bundle"
    (src / "_internal" / "resources" / "icons").mkdir(parents=True)
    shutil.copy(REPO_ROOT / "resources" / "icons" / "clerkapp.ico",
                src / "_internal" / "resources" / "icons")
    (src / "clerkapp.exe").write_bytes(b"stand-in")
    out = tmp_path / "clerkapp-0.0.1-setup.exe"
    done = subprocess.run([makensis, "-V2", "-DVERSION=0.0.1", f"-DSRCDIR={src}",
                           f"-DOUTFILE={out}", "-DCOMPRESSOR=zlib", str(NSI)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.stat().st_size > 10_000
    script = NSI.read_text(encoding="utf-8")
    assert f'!define INSTALL_INI "{INSTALL_SETTINGS}"' in script
    assert '${GetOptions} $1 "/DB=" $DB' in script


def test_the_ini_the_installer_writes_is_the_default_store(tmp_path, monkeypatch):
    url = "postgresql://clerk1@clerkdb.court.local/clerkapp"
    # WriteINIStr's own layout: CRLF, no spaces around '='
    (tmp_path / INSTALL_SETTINGS).write_bytes(f"[store]\r\ndb={url}\r\n".encode("ascii"))
    (tmp_path / "clerkapp.exe").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "clerkapp.exe"))
    monkeypatch.delenv("CLERKAPP_DB", raising=False)
    assert default_db_path() == url
