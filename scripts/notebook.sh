#!/usr/bin/env bash
# Set up (.venv, the package with its notebook extra: JupyterLab and a Python kernel; Graphviz's
# dot where possible), then open examples/linear_regression.ipynb in JupyterLab, in the browser.
# Extra arguments go to `jupyter lab` (bash scripts/notebook.sh --no-browser).
# --check instead: set everything up, then print JupyterLab's version and stop (no browser).
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
install_package notebook
ensure_dot
if [ "${1:-}" = "--check" ]; then
  echo "==> jupyter lab --version"
  "$VENV/bin/jupyter" lab --version
  status=$?
  report_notes
  [ $status -eq 0 ] || echo "error: JupyterLab was installed but does not start (see above)" >&2
  exit $status
fi
report_notes
echo "==> jupyter lab examples/linear_regression.ipynb (Ctrl-C twice to stop it)"
exec "$VENV/bin/jupyter" lab "$@" examples/linear_regression.ipynb
