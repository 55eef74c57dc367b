#!/usr/bin/env bash
# Set up (.venv, the package with its dev extra, Graphviz's dot where possible), then run the
# linter and the whole test suite. Extra arguments go to pytest.
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
install_package dev
ensure_dot
echo "==> ruff check"
"$VPY" -m ruff check . || { report_notes; echo "error: ruff found problems (above)" >&2; exit 1; }
echo "==> pytest"
"$VPY" -m pytest "$@"
status=$?
report_notes
exit $status
