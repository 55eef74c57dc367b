"""`tinygrad-lr graph`: files in each format, the walk-through, and the fallback without `dot`."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tinygrad_lr.apps import graph_cli, train
from tinygrad_lr.apps.graph_cli import flagship_step, main
from tinygrad_lr.viz import draw_graph, frames, graph_text

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


# ---------------------------------------------------------------------------------------------
# Bad paths and Ctrl-C: exit code 2 (or 130), one line, no traceback, nothing written
# ---------------------------------------------------------------------------------------------


def unwritable_folder(tmp_path: Path) -> Path:
    """A folder in which nothing can be created: a read-only one, or, as root (who may write
    anywhere), /sys, which refuses even root."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    try:
        tempfile.mkstemp(dir="/sys")
    except PermissionError:
        return Path("/sys")
    except OSError:
        pass
    pytest.skip("no folder here refuses root")


def run_graph(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:
            code = e.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("make, argv, message", [
    (None, ["-o", "{tmp}/a_file/x.svg"], "-o {tmp}/a_file/x.svg: {tmp}/a_file is a file, not a "
                                         "folder"),
    ("folder", ["-o", "{tmp}/folder"], "-o {tmp}/folder: is a folder; give a file name, such as "
                                       "{tmp}/folder/graph.svg"),
    ("folder", ["-o", "{tmp}/folder/g.svg", "--frames", "{tmp}/a_file"],
     "--frames {tmp}/a_file: exists and is not a folder"),
    (None, ["--frames", "{tmp}/a_file/walk"], "--frames {tmp}/a_file/walk: {tmp}/a_file is a file, "
                                              "not a folder"),
    (None, ["-o", "{tmp}/g.jpeg"], "-o {tmp}/g.jpeg: cannot tell the format from the file name"),
    (None, ["--rankdir", "XY"], "argument --rankdir: invalid choice: 'XY'"),
    (None, ["--bogus"], "unrecognized arguments: --bogus (see tinygrad-lr graph --help)"),
])  # fmt: skip
def test_bad_paths_are_one_line_exit_code_2_and_write_nothing(make, argv, message, tmp_path):
    (tmp_path / "a_file").write_text("not a folder")
    if make:
        (tmp_path / make).mkdir()
    before = sorted(tmp_path.rglob("*"))
    code, out, err = run_graph([a.format(tmp=tmp_path) for a in argv])
    assert code == 2 and out == ""
    assert err.splitlines() == [err.strip()] and "Traceback" not in err
    assert err.startswith("tinygrad-lr graph: error: ") and message.format(tmp=tmp_path) in err
    assert sorted(tmp_path.rglob("*")) == before


def test_a_missing_folder_is_created_and_an_impossible_one_refused(tmp_path):
    code, out, _ = run_graph(["-o", str(tmp_path / "new" / "deeper" / "g.dot")])
    assert code == 0 and (tmp_path / "new" / "deeper" / "g.dot").is_file()
    if not Path("/proc/self").is_dir():
        pytest.skip("no /proc here: no folder that cannot be created even by root")
    code, out, err = run_graph(["-o", "/proc/no/such/folder/g.svg"])
    assert code == 2 and err == ("tinygrad-lr graph: error: -o /proc/no/such/folder/g.svg: cannot "
                                 "create the folder /proc/no (No such file or directory)\n")


@pytest.mark.parametrize("option, target", [("-o", "g.svg"), ("--frames", "walk")])
def test_an_unwritable_place_is_one_line_exit_code_2(option, target, tmp_path):
    folder = unwritable_folder(tmp_path)
    code, out, err = run_graph([option, str(folder / target)])
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.startswith(f"tinygrad-lr graph: error: {option} {folder / target}: cannot ")
    assert "(Permission denied)" in err or "(Operation not permitted)" in err
    assert len(err.splitlines()) == 1 and not (folder / target).exists()


def test_a_failed_write_removes_what_it_made(tmp_path, monkeypatch):
    from tinygrad_lr.apps import common

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(common.Path, "write_bytes", full)
    code, out, err = run_graph(["-o", str(tmp_path / "new" / "g.dot")])
    assert code == 2 and err == (f"tinygrad-lr graph: error: -o {tmp_path / 'new' / 'g.dot'}: "
                                 "cannot write there (No space left on device)\n")
    assert list(tmp_path.iterdir()) == []


@needs_dot
def test_ctrl_c_while_drawing_the_frames_exits_130_and_writes_nothing(tmp_path, monkeypatch):
    real, drawn = frames.render_plan, []

    def interrupted_at_the_third(*args, **kwargs):
        drawn.append(1)
        if len(drawn) == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(frames, "render_plan", interrupted_at_the_third)
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "old.png").write_bytes(b"mine")
    code, out, err = run_graph(["-o", str(tmp_path / "g.svg"), "--frames",
                                str(tmp_path / "keep")])  # fmt: skip
    assert code == 130 and out == ""
    assert err == ("tinygrad-lr graph: stopped by Ctrl-C while drawing the frame of backward step "
                   "3 of 7; nothing was written\n")  # fmt: skip
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["keep", "old.png"]
    monkeypatch.setattr(frames, "render_plan", real)
    code, _, err = run_graph(["--frames", str(tmp_path / "new")])
    assert code == 0 and len(list((tmp_path / "new").glob("step_*.png"))) == 7


@needs_dot
def test_a_dot_killed_by_ctrl_c_counts_as_ctrl_c(tmp_path, monkeypatch):
    import subprocess

    def killed(*args, **kwargs):
        raise subprocess.CalledProcessError(-2, ["dot", "-Tsvg"])

    monkeypatch.setattr(graph_cli.draw_graph(flagship_step()[0]).__class__, "pipe", killed)
    code, out, err = run_graph(["-o", str(tmp_path / "g.svg")])
    assert code == 130 and err.startswith("tinygrad-lr graph: stopped by Ctrl-C while rendering")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------------------------------------
# One training step of the flagship is one graph
# ---------------------------------------------------------------------------------------------


@needs_dot
def test_train_and_graph_draw_the_same_graph_of_the_first_step(tmp_path):
    with contextlib.redirect_stdout(io.StringIO()):
        assert train.main(["--steps", "1", "--out", str(tmp_path / "train")]) == 0
    assert main(["-o", str(tmp_path / "graph.svg"), "--grad"]) == 0
    assert (tmp_path / "train" / "graph.svg").read_bytes() == (tmp_path / "graph.svg").read_bytes()


def test_the_loss_is_half_the_squares_then_their_sum_as_in_the_original():
    # mul (the ½) before sum, in `graph`, in `train` and in the notebook alike
    ops = [line.split("── ")[-1].split()[0] for line in graph_text(flagship_step()[0]).splitlines()]
    assert ops[:2] == ["loss", "mul"]


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
