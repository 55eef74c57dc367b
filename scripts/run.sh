#!/usr/bin/env bash
# Set up (.venv, the package, Graphviz's dot where possible), then run the main job.
# Extra arguments go to the example.
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
install_package ""
ensure_dot
echo "==> python examples/seed_manual_gradients.py"
"$VPY" examples/seed_manual_gradients.py "$@"
status=$?
report_notes
exit $status
