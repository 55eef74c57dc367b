"""The `tinygrad-lr` command as a whole: each error reported by the command it concerns, on one
line, and help texts that say what they mean."""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tinygrad_lr.apps import cli

ROOT = Path(__file__).resolve().parents[2]


def run_cli(argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(argv)
        except SystemExit as e:
            code = e.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("argv, line", [
    (["train", "--bogus"], "tinygrad-lr train: error: unrecognized arguments: --bogus (see "
                           "tinygrad-lr train --help)"),
    (["train", "--steps", "5", "--bogus", "x"], "tinygrad-lr train: error: unrecognized "
                                                "arguments: --bogus x (see tinygrad-lr train "
                                                "--help)"),
    (["graph", "--bogus"], "tinygrad-lr graph: error: unrecognized arguments: --bogus (see "
                           "tinygrad-lr graph --help)"),
    (["train", "--steps", "x"], "tinygrad-lr train: error: argument --steps: invalid int value: "
                                "'x' (see tinygrad-lr train --help)"),
    (["--bogus", "train"], "tinygrad-lr: error: unrecognized arguments: --bogus (see "
                           "tinygrad-lr --help)"),
    ([], "tinygrad-lr: error: the following arguments are required: COMMAND (see tinygrad-lr "
         "--help)"),
    (["fly"], "tinygrad-lr: error: argument COMMAND: invalid choice: 'fly'"),
    (["train", "--optimizer", "newton", "--lr", "0.1"], "tinygrad-lr train: error: --lr 0.1: "
                                                        "--optimizer newton takes no learning "
                                                        "rate"),
    (["train", "--optimizer", "newton", "--compile"], "tinygrad-lr train: error: --compile "
                                                      "works with --optimizer sgd and adam"),
])  # fmt: skip
def test_a_bad_option_is_reported_by_the_command_it_was_given_to(argv, line):
    code, out, err = run_cli(argv)
    assert code == 2 and out == ""
    assert err.splitlines() == [err.strip()]  # one line: no usage block above it
    assert err.startswith(line), err


def help_text(argv) -> str:
    code, out, _ = run_cli([*argv, "--help"])
    assert code == 0
    return out


@pytest.mark.parametrize("command", ["train", "graph"])
def test_help_calls_the_example_the_original_program_and_seed_means_the_random_seed(command):
    text = " ".join(help_text([command]).split())
    assert "the original program" in text
    # Once "--seed" and "random seed" are taken out, no "seed" is left to mean anything else.
    rest = re.sub(r"--seed|random seed|(?<=\[)SEED(?=\])|SEED", "", text)
    assert "seed" not in rest.lower(), rest
    assert "random seed" in text


def test_train_help_tells_the_truth_about_its_pictures_progress_and_ctrl_c():
    text = " ".join(help_text(["train"]).split())
    assert "a line every 50 steps (in runs over 1000 steps, about 20 lines" in text
    assert "a run that cannot fit is refused, and one that needs over 1 GB gets a note" in text
    assert "fit_grid.png (the line at evenly spaced steps, from the start to the end" in text
    assert "Ctrl-C stops the run at once and writes nothing" in text
    assert "130 Ctrl-C" in text


def test_graph_help_names_its_exit_codes():
    text = " ".join(help_text(["graph"]).split())
    assert "2 bad arguments or paths, 130 Ctrl-C; after 2 or 130 nothing is written" in text
    assert "missing folders are created" in text


def test_a_closed_pipe_ends_the_command_quietly(tmp_path):
    # `tinygrad-lr train | head -1`: the reader leaves, and no traceback follows it.
    proc = subprocess.Popen(
        [sys.executable, "-m", "tinygrad_lr.apps.cli", "train", "--steps", "20000", "--no-plots"],
        cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141 and err == ""
