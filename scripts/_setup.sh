# Shared set-up for run.sh, test.sh and notebook.sh: a virtual environment in .venv with the
# package installed, and Graphviz's `dot` program where it can be installed. Sourced, not run.
# TINYGRAD_LR_VENV names another folder for the environment (the tests use a temporary one).
set -u
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The dev extra brings Playwright for the browser tests, which drive the system's Chromium: no
# tool may fetch a browser of Playwright's own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
cd "$ROOT"
NOTES=()

PY="${PYTHON:-python3}"
if ! command -v "$PY" >/dev/null 2>&1; then
  echo "error: $PY not found; install Python 3.10 or newer" >&2
  exit 1
fi
VENV="${TINYGRAD_LR_VENV:-$ROOT/.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating the virtual environment $VENV"
  "$PY" -m venv "$VENV" || { echo "error: could not create $VENV (on Debian: apt-get install python3-venv)" >&2; exit 1; }
fi
VPY="$VENV/bin/python"

install_package() {  # $1: the extra to install ("", "dev" or "notebook")
  local spec="."
  [ -n "$1" ] && spec=".[$1]"
  echo "==> installing tinygrad-lr${1:+ with the $1 extra} into $VENV"
  if ! "$VPY" -m pip install --quiet --disable-pip-version-check -e "$spec"; then
    echo "error: pip could not install the package and its dependencies (see above)" >&2
    exit 1
  fi
}

ensure_dot() {
  if command -v dot >/dev/null 2>&1; then
    return 0
  fi
  echo "==> Graphviz's dot program is missing; trying to install it"
  local SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; }; then
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq graphviz; } >/dev/null 2>&1
  elif command -v brew >/dev/null 2>&1; then
    brew install graphviz >/dev/null 2>&1
  elif command -v conda >/dev/null 2>&1; then
    conda install -y -c conda-forge graphviz >/dev/null 2>&1
  fi
  if command -v dot >/dev/null 2>&1; then
    echo "    installed: $(dot -V 2>&1)"
  else
    NOTES+=("Graphviz's dot program could not be installed here, so graphs are written as .dot source only and the tests that render them are skipped. Install it with 'sudo apt-get install graphviz' (Debian/Ubuntu), 'brew install graphviz' (macOS) or 'conda install -c conda-forge graphviz'.")
  fi
}

report_notes() {
  if [ "${#NOTES[@]}" -gt 0 ]; then
    echo
    echo "What could not be done:"
    for n in "${NOTES[@]}"; do echo "  - $n"; done
  fi
}
