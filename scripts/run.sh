#!/usr/bin/env bash
# Set up (.venv, the package, Graphviz's dot where possible), then run the main job: the
# flagship, `tinygrad-lr train`, writing its pictures to out/. Extra arguments go to it
# (bash scripts/run.sh --optimizer adam --lr 0.1).
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
install_package ""
ensure_dot
echo "==> tinygrad-lr train $*"
"$VENV/bin/tinygrad-lr" train "$@"
status=$?
report_notes
exit $status
