"""What the commands share: one-line usage errors, the Ctrl-C exit code, and output written so
that a run that fails or is stopped leaves nothing half-written.

Exit codes of every `tinygrad-lr` command: 0 done, 1 the work could not be finished (training
diverged, `dot` is missing), 2 bad arguments (nothing written), 130 stopped by Ctrl-C (nothing
written). 130 is the shell's own convention, 128 + the number of SIGINT.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EXIT_INTERRUPTED = 130


class UsageError(Exception):
    """A bad argument: reported on one line, exit code 2, nothing written."""


def one_line_errors(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Make `parser` report a bad argument on one line of stderr (exit code 2), naming its own
    --help, instead of argparse's usage block followed by the error."""

    def error(message: str) -> None:
        print(f"{parser.prog}: error: {message} (see {parser.prog} --help)", file=sys.stderr)
        sys.exit(2)

    parser.error = error  # type: ignore[method-assign]
    return parser


def interrupted_by_dot(error: BaseException) -> bool:
    """Whether `error` is a `dot` subprocess killed by the Ctrl-C meant for us.

    The terminal sends SIGINT to the whole foreground process group, so `dot` often dies of it
    before Python raises KeyboardInterrupt: the graphviz package then reports a failed command.
    """
    code = getattr(error, "returncode", None)
    return isinstance(error, subprocess.CalledProcessError) and code in (-2, EXIT_INTERRUPTED)


def _missing_folders(path: Path) -> list[Path]:
    # The folders mkdir(parents=True) would create, innermost first: what a failed run removes.
    return [p for p in (path, *path.parents) if not p.exists()]


def _cannot_write(option: str, value: object, error: OSError,
                  created: list[Path] = ()) -> UsageError:  # fmt: skip
    if error.filename is not None and str(error.filename) in map(str, created):
        return UsageError(f"{option} {value}: cannot create the folder {error.filename} "
                          f"({error.strerror})")  # fmt: skip
    return UsageError(f"{option} {value}: cannot write there ({error.strerror})")


def _check_ancestors(option: str, value: object, path: Path) -> None:
    # mkdir under a file fails with "Not a directory" about a folder the user never named.
    for p in path.parents:
        if p.exists():
            if not p.is_dir():
                raise UsageError(f"{option} {value}: {p} is a file, not a folder")
            return


def _remove_empty(folders: list[Path]) -> None:
    for p in folders:  # innermost first
        if p.is_dir() and not any(p.iterdir()):
            p.rmdir()


class OutputFolder:
    """A folder written atomically: files go to a hidden temporary folder inside it and are
    moved into place by `commit()`.

    Opening it checks that it can be written (creating it, and its parents, if needed);
    `discard()` removes everything this run made, including the folders it created.
    """

    def __init__(self, folder: str | Path, option: str = "--out") -> None:
        self.out = Path(folder)
        if self.out.exists() and not self.out.is_dir():
            raise UsageError(f"{option} {folder}: exists and is not a folder")
        _check_ancestors(option, folder, self.out)
        self.created = _missing_folders(self.out)
        try:
            self.out.mkdir(parents=True, exist_ok=True)
            self.staging = Path(tempfile.mkdtemp(prefix=".tinygrad-lr-", dir=self.out))
        except OSError as e:
            _remove_empty(self.created)
            raise _cannot_write(option, folder, e, self.created) from None

    def path(self, name: str) -> Path:
        """Where to write the file `name` until `commit()`."""
        return self.staging / name

    def commit(self) -> list[Path]:
        """Move every file written into place; returns their final paths."""
        written = []
        for f in sorted(self.staging.iterdir()):
            target = self.out / f.name
            f.replace(target)
            written.append(target)
        self.staging.rmdir()
        return written

    def discard(self) -> None:
        """Remove what this run wrote, and the folders it created."""
        shutil.rmtree(self.staging, ignore_errors=True)
        _remove_empty(self.created)


class OutputFile:
    """One file written atomically: into a temporary file beside it, renamed over it by
    `commit()`. Opening it refuses a folder and checks that the folder can be written (creating
    it if needed); `discard()` removes what this run made."""

    def __init__(self, file: str | Path, option: str = "-o") -> None:
        self.target = Path(file)
        if self.target.is_dir():
            raise UsageError(f"{option} {file}: is a folder; give a file name, such as "
                             f"{self.target / 'graph.svg'}")  # fmt: skip
        parent = self.target.parent
        _check_ancestors(option, file, self.target)
        self.created = _missing_folders(parent)
        self.option, self.value = option, file
        try:
            parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{self.target.name}.", dir=parent)
        except OSError as e:
            _remove_empty(self.created)
            raise _cannot_write(option, file, e, self.created) from None
        os.close(fd)
        self.temp = Path(name)

    def write(self, data: bytes | str) -> None:
        """Write the file's content (bytes, or text as UTF-8), to be put in place by commit()."""
        try:
            self.temp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        except OSError as e:
            raise _cannot_write(self.option, self.value, e) from None

    def redirect(self, file: Path) -> None:
        """Put what is written at `file` instead (the DOT source, when `dot` is missing)."""
        self.target = Path(file)

    def commit(self) -> Path:
        """Put the written file in place (0644, as a file written directly would be)."""
        self.temp.chmod(0o666 & ~_umask())
        self.temp.replace(self.target)
        return self.target

    def discard(self) -> None:
        """Remove the temporary file, and the folders this run created."""
        self.temp.unlink(missing_ok=True)
        _remove_empty(self.created)


def _umask() -> int:
    # mkstemp makes files readable by their owner only; a picture should get the usual mode.
    mask = os.umask(0)
    os.umask(mask)
    return mask
