"""The documentation site's own build steps, run by MkDocs as hooks (`hooks:` in mkdocs.yml).

`mkdocs build` (or `bash scripts/docs.sh`, which installs what it needs first) runs them; the
Markdown pages in docs/ read as they are without any of this.

* **Front-end files from npm, served by the site itself.** The site must work with no network,
  so nothing is loaded from a CDN. KaTeX renders the math; iframe-worker lets Material's search
  run on a page opened from disk (a browser refuses a web worker from file://). Each is fetched
  once with `npm pack` at a pinned version, checked against the sha512 npm published for it,
  unpacked into build/vendor/NAME-VERSION/ (not committed) and added to the site under
  assets/vendor/NAME/.
* **The flagship notebook as a page.** examples/linear_regression.ipynb is committed without
  outputs; here it runs top to bottom in a fresh kernel of this very Python, and its cells and
  outputs become the page notebook.md (text in fenced blocks, pictures as files beside it).
* **The op table.** docs/api.md holds a marker that is replaced by the table of
  `tinygrad_lr.core.ops.OPS`: each op's name, class and one-line rule.
* **The explorer.** When `tinygrad_lr.viz.explain_html` exists and Graphviz's `dot` is
  installed, the explorer page of the flagship's first step is written to
  explorer/flagship.html, for a page to embed in an iframe.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

log = logging.getLogger("mkdocs.hooks.docs_site")
ROOT = Path(__file__).resolve().parents[1]
VENDOR_DIR = ROOT / "build" / "vendor"
NOTEBOOK = ROOT / "examples" / "linear_regression.ipynb"
NOTEBOOK_PAGE = "notebook.md"
NOTEBOOK_FILES = "notebook_files"  # the notebook's pictures, beside its page
EXPLORER_PAGE = "explorer/flagship.html"
OP_TABLE_MARKER = "<!-- the op table, written here at build time from tinygrad_lr.core.ops.OPS -->"


@dataclass(frozen=True)
class NpmPackage:
    """A pinned npm package and the files of it that the site serves."""

    name: str
    version: str
    integrity: str  # npm's dist.integrity: "sha512-" and the tarball's digest in base64
    files: tuple[str, ...]  # paths inside the package; a path ending in "/" takes the folder

    @property
    def folder(self) -> Path:
        return VENDOR_DIR / f"{self.name}-{self.version}"


VENDORED = (
    NpmPackage("katex", "0.19.1",
               "sha512-jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr"
               "5614uRrEfA==",
               ("LICENSE", "dist/katex.min.js", "dist/katex.min.css", "dist/fonts/")),
    NpmPackage("iframe-worker", "1.0.4",
               "sha512-roeaaI+Lg1LJNfgpCjoRe/+WzEjy9+Z08LoEvu85MCPbBjwm+qXz8Ag5U05lHa6V1CysZyGzE0SO"
               "kAtSUA5q7Q==",
               ("LICENSE", "shim/index.js")),
)  # fmt: skip


# --- front-end files from npm -------------------------------------------------------------------

def vendor(package: NpmPackage) -> Path:
    """The folder holding `package`'s files, fetched and checked first if it is not there yet."""
    done = package.folder / ".complete"
    if done.is_file():
        return package.folder
    npm = shutil.which("npm")
    if npm is None:
        raise PluginError(
            f"the site serves {package.name} {package.version} itself, and it is fetched with npm, "
            "which is not installed: install Node.js and npm (Debian: apt-get install npm), or "
            "run bash scripts/docs.sh, which does")
    log.info("fetching %s@%s with npm pack into %s", package.name, package.version,
             package.folder.relative_to(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        spec = f"{package.name}@{package.version}"
        run = subprocess.run([npm, "pack", spec, "--silent"], cwd=tmp, capture_output=True,
                             text=True)  # fmt: skip
        tarballs = list(Path(tmp).glob("*.tgz"))
        if run.returncode != 0 or len(tarballs) != 1:
            raise PluginError(f"npm pack {spec} failed (exit code {run.returncode}): "
                              f"{run.stderr.strip() or run.stdout.strip()}")
        data = tarballs[0].read_bytes()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != package.integrity:
        raise PluginError(f"{spec}: the tarball's checksum {digest} is not the pinned "
                          f"{package.integrity}; refusing to serve it")
    shutil.rmtree(package.folder, ignore_errors=True)
    _unpack(data, package)
    done.write_text(package.integrity + "\n")
    return package.folder


def _unpack(tarball: bytes, package: NpmPackage) -> None:
    # npm tarballs put everything under package/; only the wanted regular files are written, each
    # to a path built here, so that no name inside the archive can write outside the folder.
    found = {wanted: 0 for wanted in package.files}
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        for member in archive.getmembers():
            parts = PurePosixPath(member.name).parts
            inner = PurePosixPath(*parts[1:]).as_posix() if len(parts) > 1 else ""
            wanted = [w for w in package.files if inner == w or (w.endswith("/")
                                                                 and inner.startswith(w))]
            if not member.isfile() or ".." in parts or not wanted:
                continue
            target = package.folder / inner.removeprefix("dist/")  # dist/: the built files
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.extractfile(member).read())
            found[wanted[0]] += 1
    missing = [w for w, n in found.items() if n == 0]
    if missing:
        raise PluginError(f"{package.name}@{package.version} has no {missing}")


def vendored_files(config: Any) -> list[File]:
    """The vendored packages' files, as site files under assets/vendor/NAME/."""
    files = []
    for package in VENDORED:
        folder = vendor(package)
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".complete"):
            uri = f"assets/vendor/{package.name}/{path.relative_to(folder).as_posix()}"
            files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


# --- the flagship notebook ----------------------------------------------------------------------

def executed_notebook(path: Path) -> Any:
    """The notebook at `path`, run top to bottom in a kernel of this Python, in a scratch folder.

    A cell that raises stops the build, naming the cell. The kernel gets this process's
    environment without MPLBACKEND, so that its pictures show inline as a learner sees them.
    """
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    notebook = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        # A kernelspec naming sys.executable: the machine's own "python3" kernel may be another
        # Python, without this package.
        spec_dir = Path(tmp, "kernels", "docs-site")
        spec_dir.mkdir(parents=True)
        spec = {"argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "docs site", "language": "python"}  # fmt: skip
        (spec_dir / "kernel.json").write_text(json.dumps(spec))
        specs = KernelSpecManager(kernel_dirs=[str(spec_dir.parent)])
        manager = KernelManager(kernel_name="docs-site", kernel_spec_manager=specs)
        workdir = Path(tmp, "work")
        workdir.mkdir()
        env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
        client = NotebookClient(notebook, km=manager, timeout=300,
                                resources={"metadata": {"path": str(workdir)}})  # fmt: skip
        try:
            client.execute(env=env)
        except CellExecutionError as e:
            where = path.relative_to(ROOT)
            raise PluginError(f"{where} failed while building the site:\n{e}") from None
    return notebook


# The outputs a page can show, in the order of preference when a cell offers several.
PICTURES = {"image/svg+xml": "svg", "image/png": "png", "image/gif": "gif", "image/jpeg": "jpg"}


def notebook_markdown(notebook: Any) -> tuple[str, dict[str, bytes]]:
    """The page for an executed notebook, and its pictures by their path beside the page.

    Markdown cells are kept as written; a code cell becomes a ```python block followed by its
    outputs: printed text in a ```text block, a picture as an image, HTML (the explorer) in a
    frame, a value by its text form.
    """
    parts: list[str] = []
    pictures: dict[str, bytes] = {}
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code" and cell.source.strip():
            parts.append(f"```python\n{cell.source}\n```")
            for number, output in enumerate(cell.outputs):
                parts.append(_output_markdown(output, f"cell{index}_{number}", pictures))
    return "\n\n".join(p for p in parts if p) + "\n", pictures


def _output_markdown(output: Any, stem: str, pictures: dict[str, bytes]) -> str:
    if output.output_type == "stream":
        return _text_block(output.text)
    if output.output_type == "error":  # only with allow_errors, which the build does not set
        return _text_block("\n".join(output.traceback))
    data = output.get("data", {})
    for mime, suffix in PICTURES.items():
        if mime in data:
            name = f"{NOTEBOOK_FILES}/{stem}.{suffix}"
            content = data[mime]
            # Text formats come as text; the others as base64, as the notebook stores them.
            pictures[name] = content.encode() if mime == "image/svg+xml" else base64.b64decode(
                content)  # fmt: skip
            return f"![output of the cell above]({name})"
    if "text/html" in data:  # a page of its own (the backward explorer), shown in a frame
        name = f"{NOTEBOOK_FILES}/{stem}.html"
        pictures[name] = ("<!doctype html><meta charset='utf-8'><body style='margin:0'>"
                          + data["text/html"]).encode()  # fmt: skip
        return (f'<iframe src="{name}" title="output of the cell above" '
                'style="width:100%;height:50rem;border:1px solid #ddd"></iframe>')
    return _text_block(data.get("text/plain", ""))


def _text_block(text: str) -> str:
    # A carriage return redraws a line in a terminal; on a page only the last drawing is kept.
    lines = [line.rsplit("\r", 1)[-1] for line in text.rstrip("\n").split("\n")]
    return f"```text\n{chr(10).join(lines)}\n```" if any(lines) else ""


def notebook_files(config: Any) -> list[File]:
    """The notebook's page and its pictures, as site files."""
    log.info("running %s for its page", NOTEBOOK.relative_to(ROOT))
    markdown, pictures = notebook_markdown(executed_notebook(NOTEBOOK))
    files = [File.generated(config, NOTEBOOK_PAGE, content=markdown)]
    files += [File.generated(config, name, content=data) for name, data in pictures.items()]
    return files


# --- the op table -------------------------------------------------------------------------------

def op_table() -> str:
    """The op table as an HTML table: each op's name in graphs, its class and its rule."""
    from tinygrad_lr.core.ops import OPS

    rows = []
    for name, op in OPS.items():
        formula = getattr(op, "formula", None)
        if not isinstance(formula, str):
            raise PluginError(f"the op {name!r} ({op!r}) has no one-line formula to show")
        rows.append(f"<tr><td><code>{html.escape(name)}</code></td>"
                    f"<td><code>{html.escape(op.__name__)}</code></td>"
                    f"<td><code>{html.escape(formula)}</code></td></tr>")
    return ("<table>\n<thead><tr><th>name</th><th>class</th><th>forward; backward</th></tr>"
            "</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>")


# --- the explorer -------------------------------------------------------------------------------

def explorer_page() -> str | None:
    """The explorer page of the flagship's first step, or None while it cannot be made."""
    from tinygrad_lr import viz
    from tinygrad_lr.apps.graph_cli import flagship_step

    explain_html = getattr(viz, "explain_html", None)
    if explain_html is None:
        log.info("no explorer page: tinygrad_lr.viz has no explain_html yet")
        return None
    if shutil.which("dot") is None:
        log.info("no explorer page: it is drawn with Graphviz's dot, which is not installed")
        return None
    loss, named = flagship_step()
    return explain_html(loss, params={"w": named["w"], "b": named["b"]})


def explorer_files(config: Any) -> list[File]:
    """The explorer page as a site file at EXPLORER_PAGE, when it can be made."""
    page = explorer_page()
    return [] if page is None else [File.generated(config, EXPLORER_PAGE, content=page)]


# --- the hooks ----------------------------------------------------------------------------------

@event_priority(100)  # before the plugins that read the pages (autorefs, search)
def on_files(files: Files, config: Any) -> Files:
    """Add the generated files: the vendored front-end, the notebook's page, the explorer."""
    for file in vendored_files(config) + notebook_files(config) + explorer_files(config):
        files.append(file)
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Files) -> str:
    """Write the op table into the page that asks for it."""
    if OP_TABLE_MARKER not in markdown:
        return markdown
    return markdown.replace(OP_TABLE_MARKER, op_table())
