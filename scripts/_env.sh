# Shared by scripts/start and scripts/test: a Python 3.11+ virtualenv with the package installed.
# Re-installs only when pyproject.toml changed since the last install (second runs are fast).

find_python() {
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "error: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
  return 1
}

ensure_venv() {
  local extras="$1" stamp=".venv/.installed-$1"
  local wanted
  wanted="$(cat pyproject.toml | sha256sum | cut -d' ' -f1)"
  if [ ! -x .venv/bin/python ]; then
    echo "==> creating .venv" >&2
    "$(find_python)" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
  fi
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "==> installing the package ($extras)" >&2
    .venv/bin/python -m pip install --quiet -e ".[$extras]"
    echo "$wanted" >"$stamp"
  fi
}

ui_present() { [ -f frontend/package.json ]; }

ensure_node_packages() {
  # $1: a folder with package.json and package-lock.json
  local dir="$1" stamp="$1/node_modules/.installed-lock"
  local wanted
  wanted="$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    command -v npm >/dev/null 2>&1 || { echo "error: Node.js 20+ and npm are needed for $dir" >&2; return 1; }
    echo "==> npm ci in $dir" >&2
    npm ci --prefix "$dir" --no-audit --no-fund --loglevel=error
    echo "$wanted" >"$stamp"
  fi
}

ensure_chromium() {
  # The browser tests drive Debian's Chromium (Playwright for Python, executable_path).
  [ -x /usr/bin/chromium ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "==> installing Debian's chromium for the browser tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q chromium >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }
  else
    echo "error: the browser tests need /usr/bin/chromium: run 'apt-get install chromium' as root" >&2
    return 1
  fi
}
