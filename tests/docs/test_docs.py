"""The docs run: every ```python block of docs/*.md and README.md is executed, its shown output
is checked, and every image and page the docs point to exists.

Conventions (also described in docs/internals.md, "Snippet conventions"):

* A ```python block runs. The blocks of one page run in order in one shared namespace, as a
  reader would type them into one session; each page starts with a fresh namespace, in a fresh
  temporary directory as the working directory, with matplotlib's Agg backend.
* A ```text block whose first line is `# output`, following a python block with only blank lines
  between, shows what that block prints. The rest of the text block must equal the block's
  standard output exactly, after trailing whitespace is stripped from each line (and trailing
  blank lines from the end).
* A ```python no-run block is shown but not run (only for what needs a shell or a display).
  It is counted, so the total stays honest.
* A ```python needs-dot block renders with Graphviz's `dot`: it runs when `dot` is installed and
  is skipped (and counted) when it is not. The rest of the page must not depend on it; a test
  runs those pages with `dot` hidden to make sure.
* A ```python source PATH block quotes the package's code (PATH is relative to the repository
  root, e.g. `tinygrad_lr/core/engine.py`). It is shown, not run, and its lines must appear as a
  contiguous run of lines of that file, compared after removing the indentation common to all
  of them (so a method can be quoted dedented) and trailing whitespace. A quote that the code
  no longer matches fails, naming the page, the block's line and the file.

Each failure names the page and the line of the block's opening fence; tracebacks from a snippet
point at lines of the Markdown file itself.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import re
import shutil
import textwrap
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

from tools import docs_images
from tools.docs_images import IMAGE_HTML, IMAGE_MD, LINK_MD

os.environ.setdefault("MPLBACKEND", "Agg")  # before anything imports matplotlib.pyplot

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"]

# Pages linked from the docs that a later change writes (they document parts of the package that
# are not there yet). A link to one of these may dangle until then; once the page exists the test
# below fails until it is removed from this list, so the list cannot go stale.
PAGES_TO_COME: set[str] = set()

# The docs execute at least this many snippets, and check at least this many quotes of the source;
# raise them when adding snippets or quotes, never lower them to make a deletion pass unnoticed.
MIN_SNIPPETS = 72
MIN_QUOTES = 5

OUTPUT_MARKER = "# output"
SOURCE_MARKER = "python source"


@dataclass
class Block:
    lang: str  # "python", "python no-run", "text", ...
    line: int  # 1-based line of the opening fence
    code: str

    @property
    def runs(self) -> bool:
        return self.lang in ("python", "python needs-dot")

    @property
    def needs_dot(self) -> bool:
        return self.lang == "python needs-dot"

    @property
    def is_python(self) -> bool:
        return self.lang.split()[:1] == ["python"]

    @property
    def is_output(self) -> bool:
        return self.lang == "text" and self.code.split("\n", 1)[0].strip() == OUTPUT_MARKER

    @property
    def source(self) -> str | None:
        """For a ```python source PATH block (a quote of the code): PATH; else None."""
        words = self.lang.split()
        return words[2] if len(words) == 3 and words[:2] == SOURCE_MARKER.split() else None


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def parse_blocks(text: str, where: str) -> list[tuple[Block, Block | None]]:
    """The fenced blocks of a page, each python block paired with its `# output` block (or None).

    Fences must start at the beginning of a line: an indented ```python block would be shown to
    the reader but could slip past a looser parser, so it is an error.
    """
    lines = text.split("\n")
    blocks: list[Block] = []
    gaps: list[bool] = []  # gaps[i]: only blank lines between block i-1 and block i
    i, last_end = 0, -10
    while i < len(lines):
        line = lines[i]
        if re.match(r"\s+```\s*python", line):
            raise ValueError(f"{where}:{i + 1}: indented ```python fence; start it at column 0")
        if line.startswith("```"):
            lang = line[3:].strip()
            start = i
            i += 1
            body = []
            while i < len(lines) and lines[i].rstrip() != "```":
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise ValueError(f"{where}:{start + 1}: code block is never closed")
            between = lines[last_end + 1 : start] if last_end >= 0 else ["x"]
            gaps.append(all(not s.strip() for s in between))
            blocks.append(Block(lang, start + 1, "\n".join(body)))
            last_end = i
        i += 1
    pairs = []
    for k, block in enumerate(blocks):
        words = block.lang.split()
        if words[:2] == SOURCE_MARKER.split() and len(words) != 3:
            raise ValueError(f"{where}:{block.line}: write ```{SOURCE_MARKER} PATH, with the path "
                             f"of one file relative to the repository root, not {block.lang!r}")
        if block.is_output and not (k > 0 and blocks[k - 1].is_python and gaps[k]):
            raise ValueError(f"{where}:{block.line}: a `# output` block must directly follow a "
                             "```python block (only blank lines between)")
        if block.is_output and blocks[k - 1].source is not None:
            raise ValueError(f"{where}:{block.line}: a `# output` block follows a quote of the "
                             "source, which is not run")
        if block.is_python:
            nxt = blocks[k + 1] if k + 1 < len(blocks) else None
            pairs.append((block, nxt if nxt is not None and nxt.is_output and gaps[k + 1]
                          else None))
    return pairs


def normalise(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.rstrip().split("\n"))


def check_quote(block: Block, root: Path, where: str) -> str | None:
    """None if the quote's lines are a contiguous run of lines of its file; else what is wrong.

    Both sides are compared without their common indentation and trailing whitespace, so that a
    method can be quoted dedented, and blank lines in the file match blank lines in the quote.
    """
    path = block.source
    assert path is not None
    head = f"{where}, quote at line {block.line} of {path}"
    file = (root / path).resolve()
    if not file.is_relative_to(root.resolve()) or not file.is_file():
        return f"{head}: no such file in the repository"
    quote = _plain(block.code.split("\n"))
    if not quote or quote == [""]:
        return f"{head}: the quote is empty"
    lines = file.read_text(encoding="utf-8").split("\n")
    windows = [lines[i : i + len(quote)] for i in range(len(lines) - len(quote) + 1)]
    if any(_plain(w) == quote for w in windows):
        return None
    # The nearest run of lines of the file, so that the message shows what changed.
    nearest = max(map(_plain, windows or [lines]),
                  key=lambda w: difflib.SequenceMatcher(None, quote, w).ratio())
    diff = "\n".join(difflib.unified_diff(quote, nearest, "quoted", f"nearest in {path}",
                                          lineterm=""))
    return f"{head}: these lines are not in the file (update the quote):\n{diff}"


def _plain(lines: list[str]) -> list[str]:
    """Lines without trailing whitespace or their common indentation, and without trailing blank
    lines (a fenced block's last blank lines are not part of the quote)."""
    text = textwrap.dedent("\n".join(line.rstrip() for line in lines)).rstrip("\n")
    return text.split("\n")


@dataclass
class PageRun:
    executed: int = 0
    skipped: int = 0  # python no-run blocks
    skipped_no_dot: int = 0  # python needs-dot blocks, skipped because `dot` is missing
    quoted: int = 0  # python source blocks, checked against the file they quote
    error: str | None = None


def run_page(page: Path, workdir: Path, where: str | None = None, root: Path = ROOT) -> PageRun:
    """Run a page's python blocks in one fresh namespace, in `workdir`; stop at the first failure.

    `where` names the page in messages (default: its path in the repository); quotes of the
    source are looked up under `root`.
    """
    import matplotlib.pyplot as plt

    import tinygrad_lr
    from tinygrad_lr.core.engine import _Mode as _GradMode

    where = where or rel(page)
    result = PageRun()
    namespace: dict = {"__name__": "__main__"}
    old_cwd = os.getcwd()
    grad_mode = (_GradMode.grad_enabled, _GradMode.anomaly)
    have_dot = shutil.which("dot") is not None
    os.chdir(workdir)
    try:
        for block, shown in parse_blocks(page.read_text(encoding="utf-8"), where):
            if block.source is not None:
                result.error = check_quote(block, root, where)
                if result.error:
                    return result
                result.quoted += 1
                continue
            if not block.runs:
                result.skipped += 1
                continue
            if block.needs_dot and not have_dot:
                result.skipped_no_dot += 1
                continue
            # Leading newlines make tracebacks report lines of the Markdown file.
            code = compile("\n" * block.line + block.code, str(page), "exec")
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out):
                    exec(code, namespace)
            except BaseException:
                result.error = (f"{where}, block at line {block.line} raised:\n"
                                + traceback.format_exc())
                return result
            result.executed += 1
            if shown is not None:
                want = normalise(shown.code.split("\n", 1)[1] if "\n" in shown.code else "")
                got = normalise(out.getvalue())
                if want != got:
                    diff = "\n".join(difflib.unified_diff(
                        want.split("\n"), got.split("\n"), "shown", "printed", lineterm=""))
                    result.error = (f"{where}, block at line {block.line}: its output differs from "
                                    f"the `# output` block at line {shown.line}:\n{diff}")
                    return result
    finally:
        os.chdir(old_cwd)
        plt.close("all")
        # A page must not change the next page's world (a failed snippet may leave no_grad on).
        _GradMode.grad_enabled, _GradMode.anomaly = grad_mode
        assert tinygrad_lr.is_grad_enabled() == grad_mode[0]
    return result


@pytest.fixture(scope="module")
def page_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, PageRun]:
    # All pages run once, here, so that the snippet count below is what was really executed.
    return {rel(p): run_page(p, tmp_path_factory.mktemp(p.stem)) for p in PAGES}


@pytest.mark.parametrize("page", [rel(p) for p in PAGES])
def test_page_snippets_run_and_print_what_they_show(page: str, page_runs: dict) -> None:
    run = page_runs[page]
    if run.error:
        pytest.fail(run.error, pytrace=False)


def test_snippet_count(page_runs: dict, capsys: pytest.CaptureFixture) -> None:
    executed = sum(r.executed for r in page_runs.values())
    skipped = sum(r.skipped for r in page_runs.values())
    no_dot = sum(r.skipped_no_dot for r in page_runs.values())
    quoted = sum(r.quoted for r in page_runs.values())
    with capsys.disabled():
        print(f"\ndocs: {executed} python snippets executed, {skipped} marked no-run, "
              + (f"{no_dot} skipped for want of Graphviz's dot, " if no_dot else "")
              + f"{quoted} quotes of the source checked, {len(page_runs)} pages")
    # Without `dot` the needs-dot blocks are skipped; they are still on the pages.
    assert executed + no_dot >= MIN_SNIPPETS, (
        f"only {executed + no_dot} snippets (expected >= {MIN_SNIPPETS})")
    assert quoted >= MIN_QUOTES, f"only {quoted} quotes of the source (expected >= {MIN_QUOTES})"
    # no-run is for the rare snippet that needs a shell or a display.
    assert skipped <= executed // 10, f"{skipped} no-run blocks: too many to call rare"


# The patterns that find images and links (IMAGE_MD, IMAGE_HTML, LINK_MD) live in
# tools/docs_images.py, whose --check uses them too.
_prose = docs_images.prose
_local = docs_images.is_local


@pytest.mark.parametrize("page", [rel(p) for p in PAGES])
def test_every_image_the_page_shows_exists(page: str) -> None:
    path = ROOT / page
    text = _prose(path.read_text(encoding="utf-8"))
    targets = IMAGE_MD.findall(text) + IMAGE_HTML.findall(text)
    missing = [t for t in targets if _local(t) and not (path.parent / t.split("#")[0]).is_file()]
    assert not missing, f"{page} shows images that do not exist: {missing}"
    remote = [t for t in targets if not _local(t)]
    assert not remote, f"{page}: images must be files in the repository, not {remote}"


def anchors(markdown: str) -> set[str]:
    """The anchors a code host gives the page's headings (lower case, punctuation dropped)."""
    found: set[str] = set()
    text = re.sub(r"^```.*?^```", "", markdown, flags=re.MULTILINE | re.DOTALL)
    for heading in re.findall(r"^#{1,6}\s+(.+?)\s*#*\s*$", text, flags=re.MULTILINE):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        anchor, n = slug, 0
        while anchor in found:  # repeated headings get -1, -2, ...
            n += 1
            anchor = f"{slug}-{n}"
        found.add(anchor)
    return found


@pytest.mark.parametrize("page", [rel(p) for p in PAGES])
def test_every_link_to_a_file_resolves(page: str) -> None:
    path = ROOT / page
    missing = []
    for target in LINK_MD.findall(_prose(path.read_text(encoding="utf-8"))):
        if not _local(target):
            if target.startswith("#") and target[1:] not in anchors(path.read_text("utf-8")):
                missing.append(target)
            continue
        name, _, anchor = target.partition("#")
        file = (path.parent / name).resolve()
        if file.is_file():
            if anchor and file.suffix == ".md" and anchor not in anchors(file.read_text("utf-8")):
                missing.append(target)
            continue
        if file.is_relative_to(ROOT) and file.relative_to(ROOT).as_posix() in PAGES_TO_COME:
            continue
        missing.append(target)
    assert not missing, f"{page} links to files or headings that do not exist: {missing}"


def test_pages_to_come_are_still_to_come() -> None:
    written = sorted(p for p in PAGES_TO_COME if (ROOT / p).exists())
    assert not written, f"{written} exist now: remove them from PAGES_TO_COME in this file"


def test_anchors_follow_the_code_hosts_rule() -> None:
    page = "# API\n## `tinygrad_lr.ops`\n## 1. A graph\n## 1. A graph\n```\n# not a heading\n```\n"
    assert anchors(page) == {"api", "tinygrad_lrops", "1-a-graph", "1-a-graph-1"}


def test_the_parser_pairs_output_blocks_and_rejects_misplaced_ones() -> None:
    page = "```python\nprint(1)\n```\n\n```text\n# output\n1\n```\n```python no-run\nx\n```\n"
    pairs = parse_blocks(page, "t.md")
    assert [(b.lang, b.line, o.line if o else None) for b, o in pairs] == [
        ("python", 1, 5), ("python no-run", 9, None)]  # fmt: skip
    with pytest.raises(ValueError, match="directly follow"):
        parse_blocks("```python\nx\n```\nprose\n```text\n# output\n```\n", "t.md")
    with pytest.raises(ValueError, match="indented"):
        parse_blocks("  ```python\nx\n  ```\n", "t.md")
    with pytest.raises(ValueError, match="never closed"):
        parse_blocks("```python\nx\n", "t.md")


def test_the_runner_catches_a_wrong_output_and_names_the_line(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("Intro.\n\n```python\nx = 2\nprint(x + 1)\n```\n\n```text\n# output\n4\n```\n")
    run = run_page(page, tmp_path, "page.md")
    assert run.executed == 1 and run.error is not None
    assert "page.md, block at line 3" in run.error and "+3" in run.error and "-4" in run.error
    page.write_text("```python\nx = 1\n```\n\n```python\n\nraise ValueError('boom')\n```\n")
    run = run_page(page, tmp_path, "page.md")
    # The traceback points at the Markdown line of the raise (line 7 of the file).
    assert run.executed == 1 and "block at line 5" in run.error
    assert f'File "{page}", line 7' in run.error and "ValueError: boom" in run.error


def test_a_quote_of_the_source_passes_while_the_code_still_says_it(tmp_path: Path) -> None:
    source = tmp_path / "pkg" / "mod.py"
    source.parent.mkdir()
    source.write_text("class A:\n    def f(self):\n        x = 1\n\n        return x  \n\n"
                      "def g():\n    pass\n")
    page = tmp_path / "page.md"
    # A method quoted without its class's indentation, its blank line kept.
    page.write_text("Intro.\n\n```python source pkg/mod.py\ndef f(self):\n    x = 1\n\n"
                    "    return x\n```\n\n```python\nprint(2)\n```\n")
    run = run_page(page, tmp_path, "page.md", root=tmp_path)
    assert run.error is None, run.error
    assert (run.quoted, run.executed, run.skipped) == (1, 1, 0)


def test_a_quote_the_code_no_longer_matches_fails_naming_page_line_and_file(
        tmp_path: Path) -> None:  # fmt: skip
    source = tmp_path / "mod.py"
    source.write_text("def f(a, b):\n    return a * b\n\n\ndef g():\n    return 0\n")
    page = tmp_path / "page.md"
    page.write_text("Intro.\n\n```python source mod.py\ndef f(a, b):\n    return a + b\n```\n")
    run = run_page(page, tmp_path, "page.md", root=tmp_path)
    assert run.quoted == 0 and run.error is not None
    assert "page.md, quote at line 3 of mod.py" in run.error
    assert "-    return a + b" in run.error and "+    return a * b" in run.error
    # Lines of the file that are there, but not next to each other, are not a quote either.
    page.write_text("```python source mod.py\ndef f(a, b):\n    return 0\n```\n")
    assert "not in the file" in run_page(page, tmp_path, "page.md", root=tmp_path).error
    page.write_text("```python source gone.py\nx = 1\n```\n")
    run = run_page(page, tmp_path, "page.md", root=tmp_path)
    assert "page.md, quote at line 1 of gone.py: no such file" in run.error
    # A path must stay inside the repository.
    repo = tmp_path / "repo"
    repo.mkdir()
    page.write_text("```python source ../mod.py\ndef f(a, b):\n    return a * b\n```\n")
    run = run_page(page, tmp_path, "page.md", root=repo)
    assert "of ../mod.py: no such file in the repository" in run.error


def test_a_quote_takes_one_path_and_no_output_block() -> None:
    with pytest.raises(ValueError, match="t.md:1: write ```python source PATH"):
        parse_blocks("```python source\nx\n```\n", "t.md")
    with pytest.raises(ValueError, match="follows a quote"):
        parse_blocks("```python source a.py\nx\n```\n\n```text\n# output\n1\n```\n", "t.md")


def test_image_and_link_patterns_find_what_a_page_shows() -> None:
    page = ('![graph](images/g.svg) <img width="40" src="images/h.png"> [api](api.md#x) '
            '`![not](code.png)`\n```\n![not](block.png)\n```\n')
    prose = _prose(page)
    assert IMAGE_MD.findall(prose) == ["images/g.svg"]
    assert IMAGE_HTML.findall(prose) == ["images/h.png"]
    assert LINK_MD.findall(prose) == ["api.md#x"]


def test_pages_with_needs_dot_blocks_run_without_dot(monkeypatch, tmp_path: Path) -> None:
    # With `dot` hidden, the needs-dot blocks are skipped and the rest of the page still runs
    # (and prints what it shows): no later block may depend on a needs-dot one.
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    pages = [p for p in PAGES
             if any(b.needs_dot for b, _ in parse_blocks(p.read_text(encoding="utf-8"), rel(p)))]
    assert pages, "no page has a needs-dot block: drop this test or the convention"
    for page in pages:
        workdir = tmp_path / page.stem
        workdir.mkdir()
        run = run_page(page, workdir)
        assert run.error is None, run.error
        assert run.skipped_no_dot > 0


def test_the_pictures_are_of_the_graphs_the_pages_build() -> None:
    # docs_images draws the pages' graphs with its own copy of their code: each copy must print
    # what the page prints for its graph.
    from tinygrad_lr.viz import draw_graph, graph_text

    tutorial = (ROOT / "docs" / "tutorial.md").read_text(encoding="utf-8")
    graphs = (ROOT / "docs" / "graphs.md").read_text(encoding="utf-8")
    loss, _alive = docs_images.tutorial_graph()
    assert graph_text(loss) in tutorial
    loss.backward()
    assert graph_text(loss, show_grad=True) in graphs
    mse, model = docs_images.mlp_graph()
    assert graph_text(mse, params=model, show_grad=True) in graphs
    h = docs_images.loop_graph()
    folded = draw_graph(h).source.count(" -> ")
    everything = draw_graph(h, max_nodes=300).source.count(" -> ")
    assert f"arrows drawn: {folded} folded, {everything} in all" in graphs
