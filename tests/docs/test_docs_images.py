"""`python -m tools.docs_images`: one command makes exactly the pictures the docs show.

`--check` makes them all in a temporary folder and compares the file names (not the bytes) with
docs/images/ and with what the pages reference.
"""

from __future__ import annotations

import importlib.util
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tools import docs_images

ROOT = Path(__file__).resolve().parents[2]
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")
# explorer.png is a screenshot of a page in Chromium, driven by Playwright.
needs_browser = pytest.mark.skipif(
    not (shutil.which("chromium") or shutil.which("chromium-browser"))
    or importlib.util.find_spec("playwright") is None,
    reason="the explorer's screenshot needs Chromium and Playwright",
)


@needs_dot
@needs_browser
def test_check_passes_on_the_repository(capsys: pytest.CaptureFixture) -> None:
    assert docs_images.main(["--check", "--root", str(ROOT)]) == 0
    out = capsys.readouterr().out
    shown = docs_images.referenced_images(ROOT)
    on_disk = sorted(p.name for p in (ROOT / "docs" / "images").iterdir())
    assert sorted(shown) == on_disk
    assert f"{len(on_disk)} pictures, each made by this command and shown by the docs" in out


def test_every_committed_picture_is_referenced_and_the_svg_parses() -> None:
    # The part of the check that needs no `dot`: the folder and the pages agree.
    shown = docs_images.referenced_images(ROOT)
    on_disk = {p.name for p in (ROOT / "docs" / "images").iterdir()}
    assert on_disk == set(shown), (on_disk ^ set(shown))
    ET.parse(ROOT / "docs" / "images" / "flagship_graph.svg")


def _fake_repo(root: Path, on_disk: list[str], page: str) -> None:
    (root / "docs" / "images").mkdir(parents=True)
    for name in on_disk:
        (root / "docs" / "images" / name).write_bytes(b"x")
    (root / "docs" / "index.md").write_text(page, encoding="utf-8")
    (root / "README.md").write_text("![a](docs/images/a.png)\n", encoding="utf-8")


def _maker(*names: str):
    def make(out_dir: Path) -> list[Path]:
        paths = []
        for name in names:
            (out_dir / name).write_bytes(b"x")
            paths.append(out_dir / name)
        return paths

    return make


def test_check_names_every_kind_of_problem(tmp_path: Path, monkeypatch, capsys) -> None:
    page = ("![b](images/b.png) [the film](images/c.gif) ![not here](images/shown_only.png)\n"
            "`![in code](images/code.png)`\n```\n![in a block](images/block.png)\n```\n")
    _fake_repo(tmp_path, ["a.png", "b.png", "stray.png"], page)
    monkeypatch.setattr(docs_images, "MAKERS", [_maker("a.png", "b.png"),
                                                _maker("c.gif", "unshown.png", "b.png")])
    assert docs_images.main(["--check", "--root", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    problems = [line.strip() for line in err.splitlines()[1:]]
    assert problems == [
        "b.png: made by more than one maker",
        "c.gif: made by this command but not in docs/images/ (run the command and commit the "
        "result)",
        "unshown.png: made by this command but not in docs/images/ (run the command and commit "
        "the result)",
        "stray.png: in docs/images/ but made by no maker (delete it, or add a maker to "
        "tinygrad_lr/docs_images.py)",
        "shown_only.png: shown by docs/index.md but made by no maker",
        "unshown.png: made by this command but shown by no page (an orphan: drop its maker, or "
        "show it)",
    ]
    # Pictures inside code are examples, not references; a link counts as a reference.
    assert sorted(docs_images.referenced_images(tmp_path)) == ["a.png", "b.png", "c.gif",
                                                               "shown_only.png"]


def test_check_passes_when_all_three_agree(tmp_path: Path, monkeypatch, capsys) -> None:
    _fake_repo(tmp_path, ["a.png", "b.png"], "![b](images/b.png)\n")
    monkeypatch.setattr(docs_images, "MAKERS", [_maker("a.png", "b.png")])
    assert docs_images.main(["--check", "--root", str(tmp_path)]) == 0
    assert "2 pictures" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "docs" / "images").iterdir()) == ["a.png", "b.png"]


def test_writing_goes_to_root_docs_images_and_refuses_a_folder_without_docs(
        tmp_path: Path, monkeypatch, capsys) -> None:  # fmt: skip
    monkeypatch.setattr(docs_images, "MAKERS", [_maker("a.png")])
    assert docs_images.main(["--root", str(tmp_path)]) == 1
    assert "has no docs/ folder" in capsys.readouterr().err
    (tmp_path / "docs").mkdir()
    assert docs_images.main(["--root", str(tmp_path)]) == 0
    assert (tmp_path / "docs" / "images" / "a.png").is_file()
    out = tmp_path / "elsewhere"
    assert docs_images.main(["--out", str(out), "--root", str(tmp_path / "nowhere")]) == 0
    assert (out / "a.png").is_file()
    with pytest.raises(SystemExit):
        docs_images.main(["--check", "--out", str(out)])
