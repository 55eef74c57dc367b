#!/usr/bin/env bash
# Set up (.venv, the package with its docs extra; Graphviz's dot and npm where possible), then
# build the documentation site into site/ with `mkdocs build --strict` and say how to open it.
# The build runs the flagship notebook for its page and, the first time, fetches the math renderer
# (KaTeX) with npm into build/vendor/; after that it needs no network.
# --serve instead: build, then serve it with `mkdocs serve`, rebuilding on every change.
source "$(dirname "${BASH_SOURCE[0]}")/_setup.sh"
install_package docs
ensure_dot

ensure_npm() {
  # Once KaTeX has been fetched (build/vendor/katex-VERSION/), npm is not needed again.
  if command -v npm >/dev/null 2>&1 || compgen -G "build/vendor/katex-*/.complete" >/dev/null; then
    return 0
  fi
  echo "==> npm is missing (it fetches KaTeX, the site's math renderer); trying to install it"
  local SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"
  if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; }; then
    { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm; } >/dev/null 2>&1
  elif command -v brew >/dev/null 2>&1; then
    brew install node >/dev/null 2>&1
  fi
  command -v npm >/dev/null 2>&1 || NOTES+=("npm could not be installed here, so the site cannot fetch KaTeX: install Node.js and npm ('sudo apt-get install npm', 'brew install node').")
}
ensure_npm

export NO_MKDOCS_2_WARNING=1  # Material's notice about its own future, printed on every build
if [ "${1:-}" = "--serve" ]; then
  report_notes
  echo "==> mkdocs serve (http://127.0.0.1:8000/; Ctrl-C to stop)"
  exec "$VPY" -m mkdocs serve
fi
echo "==> mkdocs build --strict (into site/)"
"$VPY" -m mkdocs build --strict
status=$?
report_notes
if [ $status -ne 0 ]; then
  echo "error: the site did not build (see above)" >&2
  exit $status
fi
echo
echo "The site is in site/. Open site/index.html in a browser (it works from disk, offline), or"
echo "serve it: $VPY -m http.server -d site 8000, then http://127.0.0.1:8000/"
echo "(bash scripts/docs.sh --serve rebuilds it on every change)."
