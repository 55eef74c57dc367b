"""PyTorch programs run unchanged but for `import torch` -> `import tinygrad_lr as torch`, and
print PyTorch's numbers (see compat_runner.py for how they run and how outputs are compared)."""

import importlib.util

import pytest
from compat_runner import (
    EXPECTED,
    OUR_IMPORT,
    REL_TOL,
    compare_outputs,
    describe_failure,
    numbers_agree,
    other_torch_imports,
    program_names,
    program_source,
    read_expected,
    run_program,
    with_our_import,
)

NAMES = program_names()


def test_there_are_programs_and_each_has_its_expected_output():
    assert len(NAMES) >= 8
    recorded = sorted(path.stem for path in EXPECTED.glob("*.txt"))
    assert recorded == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_the_import_line_is_the_only_change(name):
    source = program_source(name)
    assert other_torch_imports(source) == []
    ours = with_our_import(source)
    changed = [
        (a, b) for a, b in zip(source.splitlines(), ours.splitlines(), strict=True) if a != b
    ]
    assert changed == [("import torch", OUR_IMPORT)]


@pytest.mark.parametrize("name", NAMES)
def test_program_prints_pytorchs_numbers(name, tmp_path):
    result = run_program(name, "tinygrad_lr", tmp_path)
    if result.returncode != 0:
        pytest.fail(f"{name} failed on tinygrad_lr: {describe_failure(result)}", pytrace=False)
    problems = compare_outputs(read_expected(name), result.stdout)
    if problems:
        pytest.fail(f"{name} on tinygrad_lr:\n" + "\n".join(problems), pytrace=False)


@pytest.mark.skipif(importlib.util.find_spec("torch") is None, reason="needs PyTorch")
@pytest.mark.parametrize("name", NAMES)
def test_expected_output_is_what_pytorch_prints(name, tmp_path):
    import torch

    result = run_program(name, "torch", tmp_path)
    if result.returncode != 0:
        pytest.fail(f"{name} failed on PyTorch: {describe_failure(result)}", pytrace=False)
    problems = compare_outputs(read_expected(name), result.stdout)
    assert problems == [], (
        f"{name} on PyTorch {torch.__version__} no longer prints expected/{name}.txt "
        "(python tests/compat/record.py remakes it):\n" + "\n".join(problems)
    )


# the comparison itself


def test_numbers_agree_within_the_relative_tolerance_or_the_last_printed_digit():
    assert numbers_agree("9.268664e+00", "9.268665e+00")  # last digit
    assert numbers_agree("100.000", f"{100 * (1 + 0.9 * REL_TOL):.3f}")  # relative
    assert not numbers_agree("100.000", f"{100 * (1 + 2 * REL_TOL):.3f}")
    assert numbers_agree("-0.000964", "-0.000965")
    assert not numbers_agree("-0.000964", "-0.000966")
    assert numbers_agree("0.000000", "-0.000000")
    assert numbers_agree("nan", "nan") and not numbers_agree("nan", "0.0")
    assert not numbers_agree("inf", "-inf")


def test_integers_must_be_equal():
    assert numbers_agree("180", "180")
    assert not numbers_agree("180", "181")
    assert not numbers_agree("180", "180.0")


def test_outputs_compare_line_by_line_text_and_numbers():
    expected = "# header line\nstep 100: loss 0.401196\nshape: (300, 2)\n"
    assert compare_outputs(expected, "step 100: loss 0.401197\nshape: (300, 2)\n") == []
    assert compare_outputs(expected, "step 100: loss 0.401196\nshape: [300, 2]\n") != []
    assert compare_outputs(expected, "step 100: loss 0.401296\nshape: (300, 2)\n") != []
    assert compare_outputs(expected, "step 100: loss 0.401196\n") != []
    assert compare_outputs(expected, "step 100: loss 0.401196\nshape: (301, 2)\n") != []
