#!/usr/bin/env bash
# Build clerkapp for Linux from installer/clerkapp.spec (one folder), self-test the bundle,
# pack it as a .deb with dpkg-deb, install it, self-test the installed command, and purge it.
#   installer/build-linux.sh            everything (needs root or sudo for dpkg)
#   installer/build-linux.sh --bundle   only the bundle and its self-test (what CI runs)
# Prints "PASS ..." with the sizes and times, or "FAIL at <step>".
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$ROOT"

MODE=${1:-all}
WORK="$ROOT/build/installer/linux"
LOGDIR="$WORK/logs"
DIST="$WORK/dist"
mkdir -p "$LOGDIR"

ensure_debian_packages $(cat installer/linux/qt-runtime-packages) binutils
step venv ensure_venv
step pyinstaller-install "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
  -r installer/requirements-build.txt
VERSION=$(project_version)

step bundle $NICE "$VENV/bin/python" -m PyInstaller --noconfirm --log-level WARN \
  --distpath "$DIST" --workpath "$WORK/pyinstaller" installer/clerkapp.spec
BUNDLE="$DIST/clerkapp"

# The self-test gets its own HOME, so the user data it writes (logs) cannot touch anyone's.
self_test() {
  local home="$WORK/home-$1"; shift
  rm -rf "$home" && mkdir -p "$home"
  env -i PATH=/usr/bin:/bin HOME="$home" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    "$@" --self-test -platform offscreen
}
step bundle-self-test self_test bundle "$BUNDLE/clerkapp"
grep -h "self-test PASS" "$LOGDIR/bundle-self-test.log" >&2
BUNDLE_SIZE=$(du -sh "$BUNDLE" | cut -f1)

if [ "$MODE" = "--bundle" ]; then
  echo "PASS bundle $BUNDLE ($BUNDLE_SIZE): built in ${STEP_SECONDS[bundle]} s," \
    "self-test ${STEP_SECONDS[bundle-self-test]} s, total $(elapsed) s"
  exit 0
fi

# The .deb: the bundle in /opt/clerkapp, the command in /usr/bin, a menu entry and its icon.
make_deb() {
  local stage="$WORK/deb" arch
  arch=$(dpkg --print-architecture)
  rm -rf "$stage"
  mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
    "$stage/usr/share/icons/hicolor/256x256/apps" "$stage/usr/share/doc/clerkapp"
  cp -a "$BUNDLE" "$stage/opt/clerkapp"
  ln -s /opt/clerkapp/clerkapp "$stage/usr/bin/clerkapp"
  cp installer/linux/clerkapp.desktop "$stage/usr/share/applications/"
  cp resources/icons/clerkapp.png "$stage/usr/share/icons/hicolor/256x256/apps/"
  printf 'clerkapp %s. Licence: MIT. Bundled fonts: see /opt/clerkapp/_internal/resources/fonts.\n' \
    "$VERSION" > "$stage/usr/share/doc/clerkapp/copyright"
  local depends
  depends=$(paste -sd, installer/linux/qt-runtime-packages | sed 's/,/, /g')
  cat > "$stage/DEBIAN/control" <<CONTROL
Package: clerkapp
Version: $VERSION
Architecture: $arch
Maintainer: clerkapp project <clerkapp@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Section: misc
Priority: optional
Description: Proposition 64 relief for California court clerks
 Import DOJ extracts and spreadsheets, flag each conviction's relief with reasons and
 citations, review each flag, and print court orders to PDF, from one local SQLite file.
 The clerk's data lives in ~/.local/share/clerkapp and is never removed by the package.
CONTROL
  DEB="$WORK/clerkapp_${VERSION}_${arch}.deb"
  dpkg-deb --root-owner-group -Zxz -z1 --build "$stage" "$DEB"
}
step deb make_deb
DEB=$(ls "$WORK"/clerkapp_"${VERSION}"_*.deb)

# A user's data from before must survive the install and the purge.
USERHOME="$WORK/home-installed"
rm -rf "$USERHOME" && mkdir -p "$USERHOME/.local/share/clerkapp"
echo keep > "$USERHOME/.local/share/clerkapp/clerk.db"

step deb-install as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$DEB"
installed_self_test() {
  env -i PATH=/usr/bin:/bin HOME="$USERHOME" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen \
    clerkapp --self-test -platform offscreen
}
step installed-self-test installed_self_test
grep -h "self-test PASS" "$LOGDIR/installed-self-test.log" >&2
step deb-purge as_root dpkg --purge clerkapp
check_clean() {
  for p in /opt/clerkapp /usr/bin/clerkapp /usr/share/applications/clerkapp.desktop; do
    if [ -e "$p" ] || [ -L "$p" ]; then echo "left behind: $p"; return 1; fi
  done
  [ "$(cat "$USERHOME/.local/share/clerkapp/clerk.db")" = keep ] || { echo "user data lost"; return 1; }
  [ -f "$USERHOME/.local/share/clerkapp/logs/selftest.log" ] || { echo "no self-test log"; return 1; }
}
step after-purge check_clean

echo "PASS $DEB ($(human_size "$DEB"); bundle $BUNDLE_SIZE): bundle built in ${STEP_SECONDS[bundle]} s," \
  "bundle self-test ${STEP_SECONDS[bundle-self-test]} s, deb ${STEP_SECONDS[deb]} s," \
  "installed self-test ${STEP_SECONDS[installed-self-test]} s, total $(elapsed) s"
