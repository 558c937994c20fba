"""The Windows installer's `/DB=`: the script still builds (makensis, with a stand-in bundle as
installer/build-windows.sh's upgrade test uses), and the clerkapp.ini it writes is what the
app reads as its default store; `/DB=` is read whole from a command line as court IT types
it (under Wine, where it is installed). The install itself is smoke-tested under Wine by
installer/build-windows.sh (step install-db)."""

from __future__ import annotations

import os
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
    assert "Call ReadDbOption" in script


def test_the_ini_the_installer_writes_is_the_default_store(tmp_path, monkeypatch):
    url = "postgresql://clerk1@clerkdb.court.local/clerkapp"
    # WriteINIStr's own layout: CRLF, no spaces around '='
    (tmp_path / INSTALL_SETTINGS).write_bytes(f"[store]\r\ndb={url}\r\n".encode("ascii"))
    (tmp_path / "clerkapp.exe").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "clerkapp.exe"))
    monkeypatch.delenv("CLERKAPP_DB", raising=False)
    assert default_db_path() == url


# a one-page installer that writes what ReadDbOption (installer/windows/dboption.nsh) read
PROBE_NSI = r"""
Unicode true
Target amd64-unicode
OutFile "${OUTFILE}"
SilentInstall silent
RequestExecutionLevel user
!include "FileFunc.nsh"
!addincludedir "${INCDIR}"
!include "dboption.nsh"
Section
SectionEnd
Function .onInit
  ${GetParameters} $R0
  Call ReadDbOption
  FileOpen $0 "$EXEDIR\read.txt" w
  IfErrors 0 +3
  FileWrite $0 "(none)"
  Goto +2
  FileWrite $0 "[$R1]"
  FileClose $0
  Quit
FunctionEnd
"""

DB_OPTIONS = [
    (["/S", "/DB=postgresql://clerk1@clerkdb.court.local/clerkapp"],
     "[postgresql://clerk1@clerkdb.court.local/clerkapp]"),
    (["/S", "/DB=postgresql://clerk1@db/clerkapp", "/DESKTOP"], "[postgresql://clerk1@db/clerkapp]"),
    (["/DB=C:\\My Store\\clerk.db", "/S"], "[C:\\My Store\\clerk.db]"),  # quoted: a space
    (["/S", "/db=none"], "[none]"),
    (["/S", "/DESKTOP"], "(none)"),
]


def test_db_option_is_read_whole_under_wine(tmp_path):
    makensis, wine = shutil.which("makensis"), shutil.which("wine")
    if makensis is None or wine is None:
        pytest.skip("needs makensis and wine (Debian packages nsis, wine)")
    nsi = tmp_path / "probe.nsi"
    nsi.write_text(PROBE_NSI, encoding="utf-8")
    exe = tmp_path / "probe.exe"
    built = subprocess.run([makensis, "-V2", f"-DOUTFILE={exe}",
                            f"-DINCDIR={NSI.parent}", str(nsi)],
                           capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stdout + built.stderr
    env = {**os.environ, "WINEPREFIX": str(tmp_path / "prefix"), "WINEDEBUG": "-all",
           "WINEDLLOVERRIDES": "mscoree,mshtml="}
    for args, expected in DB_OPTIONS:
        (tmp_path / "read.txt").unlink(missing_ok=True)
        subprocess.run([wine, str(exe), *args], env=env, capture_output=True, timeout=300)
        subprocess.run(["wineserver", "-w"], env=env, timeout=120)
        assert (tmp_path / "read.txt").read_text(encoding="utf-8") == expected, args
