"""Record what the compatibility programs print on PyTorch: `expected/<name>.txt`.

    python tests/compat/record.py            # every program
    python tests/compat/record.py poly_nn    # only the ones named

Needs PyTorch (the expected files were made with 2.13.0, CPU build). Each file starts with a
header line naming this command and the versions; the comparison skips it.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compat_runner import (  # noqa: E402 - after the path entry that finds it
    EXPECTED,
    HEADER,
    RECORD_COMMAND,
    describe_failure,
    program_names,
    run_program,
)


def main(argv: list[str]) -> int:
    try:
        import torch
    except ImportError:
        print("error: recording needs PyTorch (pip install torch==2.13.0)", file=sys.stderr)
        return 2
    names = argv or program_names()
    unknown = sorted(set(names) - set(program_names()))
    if unknown:
        print(f"error: no such program: {', '.join(unknown)}", file=sys.stderr)
        return 2
    header = (
        f"{HEADER}recorded by `{RECORD_COMMAND}` with PyTorch {torch.__version__}, "
        f"numpy {np.__version__}, Python {sys.version.split()[0]}\n"
    )
    EXPECTED.mkdir(exist_ok=True)
    failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            result = run_program(name, "torch", Path(folder))
            if result.returncode != 0:
                print(f"{name}: failed on PyTorch\n{describe_failure(result)}", file=sys.stderr)
                failed += 1
                continue
            (EXPECTED / f"{name}.txt").write_text(header + result.stdout, encoding="utf-8")
            print(f"{name}: {len(result.stdout.splitlines())} lines")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
