"""`tinygrad-lr graph`: files in each format, the walk-through, and the fallback without `dot`."""

from __future__ import annotations

import argparse
import shutil
import xml.etree.ElementTree as ET

import pytest

from tinygrad_lr.apps import graph_cli
from tinygrad_lr.apps.graph_cli import flagship_step, main
from tinygrad_lr.viz import draw_graph, graph_text

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")


def test_add_parser_registers_the_graph_subcommand(tmp_path):
    parser = argparse.ArgumentParser(prog="tinygrad-lr")
    commands = parser.add_subparsers(dest="command", required=True)
    graph_cli.add_parser(commands)
    out = tmp_path / "g.dot"
    args = parser.parse_args(["graph", "-o", str(out), "--rankdir", "LR", "--loss", "mean",
                              "--data"])  # fmt: skip
    assert args.run is graph_cli.run
    assert args.run(args) == 0
    source = out.read_text()
    assert "rankdir=LR" in source and "<B>mean</B>" in source and "<B>sum</B>" not in source
    loss, named = flagship_step(loss="mean")
    assert f"= [[{named['w'].item():.4g}]]" in source  # --data: the values are shown


def test_dot_output_is_the_drawing_source(tmp_path, capsys):
    out = tmp_path / "sub" / "g.dot"
    assert main(["-o", str(out), "--seed", "7"]) == 0
    loss, _ = flagship_step(seed=7)
    assert out.read_text() == draw_graph(loss).source
    assert str(out) in capsys.readouterr().out


def test_without_output_the_graph_is_printed_as_text(capsys):
    assert main([]) == 0
    loss, _ = flagship_step()
    assert capsys.readouterr().out == graph_text(loss)


def test_an_unknown_suffix_is_refused(tmp_path, capsys):
    assert main(["-o", str(tmp_path / "g.jpeg")]) == 2
    assert "use a file ending in .svg, .png, .pdf or .dot" in capsys.readouterr().err
    assert not (tmp_path / "g.jpeg").exists()


@needs_dot
def test_svg_with_gradients(tmp_path):
    out = tmp_path / "g.svg"
    assert main(["-o", str(out), "--grad"]) == 0
    loss, named = flagship_step()
    loss.backward()
    texts = {el.text for el in ET.parse(out).iter() if el.tag.endswith("text")}
    assert f"grad [[{named['w'].grad.item():.4g}]]" in texts
    assert {"mm", "expand", "pow", "sum", "y_pred", "loss"} <= texts


@needs_dot
def test_png_pdf_and_frames(tmp_path, capsys):
    assert main(["-o", str(tmp_path / "g.png"), "--frames", str(tmp_path / "walk")]) == 0
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    frames = sorted((tmp_path / "walk").glob("step_*.png"))
    assert len(frames) == 7 and (tmp_path / "walk" / "backward.gif").exists()
    assert "wrote 7 frames" in capsys.readouterr().out
    assert main(["-o", str(tmp_path / "g.pdf")]) == 0
    assert (tmp_path / "g.pdf").read_bytes()[:5] == b"%PDF-"


def _hide_dot(monkeypatch, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_without_dot_the_source_is_written_next_to_the_file(monkeypatch, tmp_path, capsys):
    _hide_dot(monkeypatch, tmp_path)
    out = tmp_path / "pictures" / "graph.svg"
    assert main(["-o", str(out), "--grad", "--frames", str(tmp_path / "walk")]) == 1
    err = capsys.readouterr().err
    source = tmp_path / "pictures" / "graph.dot"
    assert not out.exists() and source.exists()
    loss, _ = flagship_step()
    loss.backward()
    assert source.read_text() == draw_graph(loss, show_grad=True).source  # gradients included
    for hint in ("apt-get install graphviz", "brew install graphviz",
                 "conda install -c conda-forge graphviz", str(source),
                 f"dot -Tsvg {source} -o {out}", "walk-through was not drawn"):  # fmt: skip
        assert hint in err
    assert err.count("apt-get install graphviz") == 1  # one explanation, not one per failure


def test_without_dot_a_dot_file_is_still_success(monkeypatch, tmp_path):
    _hide_dot(monkeypatch, tmp_path)
    assert main(["-o", str(tmp_path / "g.gv")]) == 0
    assert (tmp_path / "g.gv").read_text().startswith("digraph")
