# Shared by build-linux.sh and build-windows.sh (sourced, not run).
# step NAME CMD...   runs one step; on failure prints "FAIL at NAME" with the log's tail.
# ensure_debian_packages PKG...   installs what is missing (root or sudo), as ./clerk does.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NICE=${NICE:-nice -n 10}
STARTED=$(date +%s)

say() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }
elapsed() { echo $(( $(date +%s) - ${1:-$STARTED} )); }

fail() {
  echo "FAIL at $1${2:+: $2}"
  exit 1
}

# step NAME CMD... : output goes to $LOGDIR/NAME.log; its tail is shown when the step fails.
step() {
  local name=$1; shift
  local log="$LOGDIR/$name.log" t0
  t0=$(date +%s)
  say "$name ..."
  # A subshell outside any `if`, so `set -e` still stops a step's function at its first failure.
  set +e
  (set -e; "$@") >"$log" 2>&1
  local rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    tail -n 25 "$log" >&2
    fail "$name" "see $log"
  fi
  STEP_SECONDS[$name]=$(elapsed "$t0")
  say "$name done in ${STEP_SECONDS[$name]} s"
}
declare -A STEP_SECONDS

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null 2>&1; then sudo "$@"
  else say "needs root for: $*"; return 1; fi
}

ensure_debian_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# The project's virtual environment, created and filled the way ./clerk does on a clean clone.
VENV="$ROOT/.venv"
ensure_venv() {
  if [ ! -x "$VENV/bin/python" ]; then
    "${PYTHON:-python3}" -m venv "$VENV"
  fi
  "$VENV/bin/python" -c "import clerkapp, PySide6" 2>/dev/null \
    || "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT"
}

project_version() {
  "$VENV/bin/python" -c "import tomllib;print(tomllib.load(open('$ROOT/pyproject.toml','rb'))['project']['version'])"
}

project_dependencies() {
  "$VENV/bin/python" -c "import tomllib;print('\n'.join(tomllib.load(open('$ROOT/pyproject.toml','rb'))['project']['dependencies']))"
}

human_size() { numfmt --to=iec --suffix=B "$(stat -c %s "$1")"; }
