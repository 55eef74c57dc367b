"""`tinygrad-lr explain`: the explorer page of an example's first training step, written by
`run(args)`; bad paths, a missing `dot` and Ctrl-C leave nothing behind."""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path

import pytest

from tinygrad_lr.apps import explain_cli
from tinygrad_lr.apps.regression import fit_linear_regression
from tinygrad_lr.viz.format import format_number

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is missing")


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tinygrad-lr")
    commands = parser.add_subparsers(dest="command", required=True)
    explain_cli.add_parser(commands)
    return parser.parse_args(["explain", *argv])


def page_data(path: Path) -> dict:
    page = path.read_text(encoding="utf-8")
    found = re.search(r'id="explorer-data">(.*?)</script>', page, re.DOTALL)
    return json.loads(found.group(1))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*"))


@needs_dot
def test_the_flagships_first_step_by_default(tmp_path, capsys):
    out = tmp_path / "pages" / "page.html"
    args = parse("-o", str(out))
    assert args.run is explain_cli.run and args.example == "flagship"
    assert explain_cli.run(args) == 0
    assert f"wrote {out}: the flagship's first training step" in capsys.readouterr().out
    data = page_data(out)
    assert [p["name"] for p in data["params"]] == ["w", "b"]
    # the first step of `tinygrad-lr train` at its defaults
    first_loss = fit_linear_regression(steps=1, log=lambda line: None).losses[0]
    assert data["steps"][7]["lines"][-1] == ["value", f"z (loss) = {format_number(first_loss)}"]
    assert leftovers(tmp_path) == ["page.html", "pages"]


@needs_dot
def test_the_mlp_example(tmp_path):
    out = tmp_path / "mlp.html"
    assert explain_cli.run(parse("--example", "mlp", "-o", str(out), "--max-nodes", "8")) == 0
    data = page_data(out)
    assert [p["name"] for p in data["params"]] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert 'data-grad-of="0.weight"' in out.read_text(encoding="utf-8")
    assert len({op["box"] for op in data["ops"].values()}) <= 8  # --max-nodes folds


@needs_dot
def test_the_page_train_writes_is_its_first_step(tmp_path):
    args = argparse.Namespace(seed=3, batch_size=6, features=2, loss="mean")
    path = explain_cli.write_training_page(args, tmp_path / "explain.html")
    first_loss = fit_linear_regression(steps=1, batch_size=6, features=2, loss="mean", seed=3,
                                       log=lambda line: None).losses[0]  # fmt: skip
    forward_end = page_data(path)["steps"][7]
    assert forward_end["title"].startswith("Forward 7 of 7: mean")
    assert forward_end["lines"][-1] == ["value", f"z (loss) = {format_number(first_loss)}"]


def test_bad_arguments_exit_2_and_write_nothing(tmp_path, capsys):
    assert explain_cli.run(parse("-o", str(tmp_path))) == 2
    err = capsys.readouterr().err
    assert err == (f"tinygrad-lr explain: error: -o {tmp_path}: is a folder; give a file name, "
                   f"such as {tmp_path / 'explain.html'}\n")  # fmt: skip
    assert explain_cli.run(parse("-o", str(tmp_path / "p.html"), "--max-nodes", "0")) == 2
    assert "--max-nodes must be at least 1, got 0" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert explain_cli.run(parse("-o", str(blocker / "p.html"))) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert leftovers(tmp_path) == ["file"]
    with pytest.raises(SystemExit):
        parse("--example", "resnet")


def test_without_dot_exit_1_with_the_install_hint_and_nothing_written(tmp_path, capsys,
                                                                     monkeypatch):  # fmt: skip
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert explain_cli.run(parse("-o", str(tmp_path / "new" / "p.html"))) == 1
    err = capsys.readouterr().err
    assert err.startswith("tinygrad-lr explain: error: Graphviz's `dot` program is needed")
    assert "sudo apt-get install graphviz" in err
    assert leftovers(tmp_path) == []  # not even the folder it would have made


def test_ctrl_c_exits_130_and_writes_nothing(tmp_path, capsys, monkeypatch):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(explain_cli, "write_page", interrupted)
    assert explain_cli.run(parse("-o", str(tmp_path / "p.html"))) == 130
    assert capsys.readouterr().err == ("tinygrad-lr explain: stopped by Ctrl-C; nothing was "
                                       "written\n")  # fmt: skip
    assert leftovers(tmp_path) == []


def test_the_examples_and_their_seeds():
    loss, params = explain_cli.example_step("flagship")
    assert sorted(params) == ["b", "w", "y_pred"] and loss.name == "loss"
    other, _ = explain_cli.example_step("flagship", seed=1)
    assert other.item() != loss.item()
    with pytest.raises(ValueError, match="example must be one of flagship, mlp, got 'cnn'"):
        explain_cli.example_step("cnn")
