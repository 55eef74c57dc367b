"""The documentation site builds strictly, and loads nothing from the network.

`mkdocs build --strict` (mkdocs.yml; the build steps of tools/docs_site.py) turns every warning
into a failure: a broken link or anchor, a page missing from the nav or a nav entry without a
page, a docstring that mkdocstrings cannot read. The last tests build small sites of their own
with the same settings, to show that each of those really stops the build.

The build needs the docs extra (installed with the dev extra, so `bash scripts/test.sh` and CI
run this) and npm, which fetches the math renderer; it is not skipped when npm is missing: the
build fails, saying so.
"""

from __future__ import annotations

import re
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ROOT, SiteBuild, build_site

pytest.importorskip("mkdocs", reason="mkdocs comes with the docs extra (and the dev extra)")
import yaml  # noqa: E402 - comes with mkdocs

from tools import docs_site  # noqa: E402

pytestmark = pytest.mark.slow

MKDOCS_WARNING = re.compile(r"^(WARNING|ERROR)\s+-\s", re.MULTILINE)


def test_the_site_builds_strictly(site_build: SiteBuild, capsys: pytest.CaptureFixture) -> None:
    assert site_build.returncode == 0, f"mkdocs build --strict failed:\n{site_build.log}"
    assert not MKDOCS_WARNING.findall(site_build.log), site_build.log
    pages = sorted(site_build.site.rglob("*.html"))
    with capsys.disabled():
        print(f"\ndocs site: {len(pages)} HTML files (with 404.html) built in "
              f"{site_build.seconds:.1f} s")


def markdown_pages() -> list[str]:
    """The pages written in docs/, by their path there."""
    return sorted(p.relative_to(ROOT / "docs").as_posix() for p in (ROOT / "docs").rglob("*.md"))


def test_every_page_is_in_the_nav_and_built(built_site: Path) -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))

    def entries(nav: list) -> list[str]:
        found = []
        for item in nav:
            value = next(iter(item.values())) if isinstance(item, dict) else item
            found += entries(value) if isinstance(value, list) else [value]
        return found

    in_nav = entries(config["nav"])
    assert sorted(set(in_nav) - {docs_site.NOTEBOOK_PAGE}) == markdown_pages()
    missing = [p for p in in_nav if not (built_site / p.replace(".md", ".html")).is_file()]
    assert not missing, f"pages in the nav that were not built: {missing}"


class _Loads(HTMLParser):
    """The addresses an HTML page loads by itself: scripts, styles, pictures, frames, fonts."""

    LOADING = {"script": "src", "img": "src", "iframe": "src", "source": "src", "video": "src",
               "audio": "src", "embed": "src", "object": "data", "link": "href"}  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.addresses: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        # A <link> loads for these; rel="canonical" and the like only name a page.
        if tag == "link" and not {"stylesheet", "preload", "preconnect", "icon", "modulepreload",
                                  "dns-prefetch"} & set((attributes.get("rel") or "").split()):
            return
        address = attributes.get(self.LOADING.get(tag, ""))
        if address:
            self.addresses.append(address)
        if attributes.get("srcset"):
            self.addresses += [part.split()[0] for part in attributes["srcset"].split(",")]


def remote(address: str) -> bool:
    return bool(re.match(r"^\s*(https?:)?//", address, re.IGNORECASE))


def test_nothing_is_loaded_from_the_network(built_site: Path) -> None:
    found = []
    for page in built_site.rglob("*.html"):
        parser = _Loads()
        parser.feed(page.read_text(encoding="utf-8"))
        found += [f"{page.relative_to(built_site)}: {a}" for a in parser.addresses if remote(a)]
    for sheet in built_site.rglob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        for address in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(
                r"@import\s+['\"]([^'\"]+)", text):  # fmt: skip
            if remote(address):
                found.append(f"{sheet.relative_to(built_site)}: {address}")
    assert not found, "the site loads these from the network:\n" + "\n".join(found)


def test_the_pages_with_math_load_the_renderer_the_site_serves(built_site: Path) -> None:
    katex = built_site / "assets" / "vendor" / "katex"
    assert (katex / "katex.min.js").is_file() and (katex / "katex.min.css").is_file()
    assert list((katex / "fonts").glob("*.woff2")), "KaTeX's fonts are not in the site"
    page = (built_site / "linear_regression.html").read_text(encoding="utf-8")
    assert 'class="arithmatex"' in page
    assert 'src="assets/vendor/katex/katex.min.js"' in page
    assert 'src="javascripts/katex.js"' in page


def test_the_notebook_page_shows_the_executed_notebook(built_site: Path) -> None:
    page = (built_site / "notebook.html").read_text(encoding="utf-8")
    pictures = re.findall(r'<img[^>]* src="(notebook_files/[^"]+)"', page)
    assert len(pictures) >= 6, pictures  # the data, two fits, the graph, three frames (and a GIF)
    assert all((built_site / p).is_file() for p in pictures)
    assert any(p.endswith(".gif") for p in pictures), "the backward pass's animation is missing"
    assert "closed form" in page and "Linear regression, by hand and with autograd" in page
    assert "Traceback" not in page


def test_the_api_reference_shows_the_op_table_and_the_docstrings(built_site: Path) -> None:
    import html

    from tinygrad_lr.core.ops import OPS

    page = (built_site / "api.html").read_text(encoding="utf-8")
    assert docs_site.OP_TABLE_MARKER not in page
    for name, op in OPS.items():
        assert f"<td><code>{html.escape(name)}</code></td>" in page, name
        assert html.escape(op.formula) in page, name
    tensor = (built_site / "api" / "tensor.html").read_text(encoding="utf-8")
    assert 'id="tinygrad_lr.Tensor.backward"' in tensor


def inventory(site: Path) -> set[str]:
    """The object names of the site's objects.inv (Sphinx's format: four header lines, then
    zlib-compressed lines `name domain:role priority uri display-name`)."""
    data = (site / "objects.inv").read_bytes()
    body = zlib.decompress(data.split(b"\n", 4)[4]).decode("utf-8")
    return {line.split(" ", 1)[0] for line in body.splitlines() if line.strip()}


def test_every_public_name_is_in_the_reference(built_site: Path) -> None:
    import tinygrad_lr
    from tinygrad_lr import autograd, nn, optim, viz

    documented = inventory(built_site)
    missing = []
    for module in (tinygrad_lr, nn, optim, autograd, viz):
        for name in public_names(module):
            obj = getattr(module, name)
            # Found under the name a user writes (tinygrad_lr.zeros), or where it is defined.
            paths = {f"{module.__name__}.{name}", getattr(obj, "__name__", None),
                     f"{getattr(obj, '__module__', '')}.{getattr(obj, '__qualname__', '')}"}
            if not paths & documented:
                missing.append(f"{module.__name__}.{name}")
    assert not missing, f"public names that no page of the API reference shows: {missing}"


def public_names(module: object) -> list[str]:
    """A module's `__all__`, or the public classes and functions it defines itself."""
    import inspect

    if hasattr(module, "__all__"):
        return list(module.__all__)
    return [n for n, v in vars(module).items() if not n.startswith("_")
            and (inspect.isfunction(v) or inspect.isclass(v))
            and v.__module__ == module.__name__]  # fmt: skip


def test_the_explorer_page_is_made_once_explain_html_exists(monkeypatch) -> None:
    from tinygrad_lr import viz

    monkeypatch.delattr(viz, "explain_html", raising=False)
    assert docs_site.explorer_page() is None  # until the explorer is there, the site goes without
    calls = []

    def explain_html(loss, params=None):
        calls.append((loss, params))
        return "<!doctype html><title>explorer</title>"

    monkeypatch.setattr(viz, "explain_html", explain_html, raising=False)
    monkeypatch.setattr(docs_site.shutil, "which", lambda name: f"/usr/bin/{name}")
    assert docs_site.explorer_page() == "<!doctype html><title>explorer</title>"
    (loss, params), = calls
    assert sorted(params) == ["b", "w"] and loss.name == "loss"  # the flagship's first step


# --- the strict settings catch what they should -------------------------------------------------

def small_site(tmp_path: Path, pages: dict[str, str], nav: list | None = None) -> SiteBuild:
    """Build `pages` with mkdocs.yml's own settings, less the hooks (which make the site's
    generated pages) and with a nav of its own (all the pages, unless given)."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    config.pop("hooks")
    config.pop("extra_javascript")
    config.pop("extra_css")
    config["extra"].pop("polyfills")
    config["plugins"] = [p for p in config["plugins"] if p != "offline"]
    python = next(p["mkdocstrings"] for p in config["plugins"] if isinstance(p, dict))
    python["handlers"]["python"]["paths"] = [str(tmp_path)]
    docs = tmp_path / "docs"
    for name, text in pages.items():
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text(text, encoding="utf-8")
    config["docs_dir"] = str(docs)
    config["nav"] = nav if nav is not None else sorted(pages)
    path = tmp_path / "mkdocs.yml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    return build_site(tmp_path / "site", path)


def test_a_broken_link_or_anchor_fails_the_build(tmp_path: Path) -> None:
    built = small_site(tmp_path, {"index.md": "# Home\n\n[gone](gone.md) [there](other.md#nope)\n",
                                  "other.md": "# Other\n"})  # fmt: skip
    assert built.returncode != 0
    assert "gone.md" in built.log and "nope" in built.log


def test_a_page_missing_from_the_nav_or_a_nav_entry_without_a_page_fails_the_build(
        tmp_path: Path) -> None:  # fmt: skip
    built = small_site(tmp_path, {"index.md": "# Home\n", "orphan.md": "# Orphan\n"},
                       nav=["index.md", "absent.md"])
    assert built.returncode != 0
    assert "orphan.md" in built.log and "absent.md" in built.log


def test_a_docstring_warning_fails_the_build(tmp_path: Path) -> None:
    (tmp_path / "sample.py").write_text(
        'def scale(x: float) -> float:\n    """Scale x.\n\n    Args:\n        y: not a parameter.\n'
        '    """\n    return 2 * x\n', encoding="utf-8")
    built = small_site(tmp_path, {"index.md": "# Home\n\n::: sample.scale\n"})
    assert built.returncode != 0
    assert "'y'" in built.log and "does not appear in the function signature" in built.log
