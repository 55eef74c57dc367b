"""How a long run keeps the learner informed: progress lines at a pace that suits the run, a word
whenever a phase has been silent for a couple of seconds, and the memory a run will need, known
before anything is allocated."""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable

#: A run is never silent for longer than this without saying what it is doing (seconds).
HEARTBEAT = 2.0
#: Up to this many steps, a progress line every 50 steps (the original program's pace).
SHORT_RUN = 1000
#: About this many progress lines over a longer run.
LINES_PER_RUN = 20


def progress_every(steps: int) -> int:
    """Steps between progress lines: 50 up to 1000 steps; beyond, the first round number
    (1, 2 or 5 × 10ᵏ) that gives at most 20 lines."""
    if steps <= SHORT_RUN:
        return 50
    target = steps / LINES_PER_RUN
    exponent = 10 ** math.floor(math.log10(target))
    return next(m * exponent for m in (1, 2, 5, 10) if m * exponent >= target)


class Progress:
    """Decides when a training run speaks. `due(step)` for the regular lines: every
    `progress_every` steps, the last step, and whenever HEARTBEAT seconds passed without a
    line. `phase(text)` names the part of a step (or of the work after training) now running:
    it is said when a slow step has been silent for HEARTBEAT seconds, and with `watch=True` a
    watcher thread says it again, with the time it has taken, while one phase runs on silently
    (a huge batch: drawing one batch can take a minute). Fast steps are covered by `due`.
    Everything goes through `log`, one line at a time; use it as a context manager (or call
    `close()`) to stop the watcher."""

    def __init__(self, steps: int, log: Callable[[str], None] = print,
                 clock: Callable[[], float] | None = None, watch: bool = False) -> None:
        self.steps = steps
        self.every = progress_every(steps)
        self._log = log
        self._clock = clock or time.monotonic
        self._last = self._step_start = self._clock()
        self._phase: tuple[str, float] | None = None  # the text, and when it started
        self._lock = threading.Lock()  # one line at a time, from either thread
        self._stop = threading.Event()
        self._watcher = threading.Thread(target=self._watch, daemon=True) if watch else None
        if self._watcher is not None:
            self._watcher.start()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the watcher (if any)."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join()

    def start_step(self) -> None:
        """Mark the start of a step (a phase is only worth a word inside a slow step)."""
        self._step_start = self._clock()

    def due(self, step: int) -> bool:
        """Whether step `step` (0-based) gets a progress line."""
        return (step % self.every == 0 or step == self.steps - 1
                or self._clock() - self._last >= HEARTBEAT)  # fmt: skip

    def line(self, text: str) -> None:
        """Print a line now."""
        with self._lock:
            self._log(text)
            self._last = self._clock()

    def phase(self, text: str | None) -> None:
        """Enter the phase `text` ("  step 3: backward…"; None: nothing worth naming runs now).
        Said at once if the run has been silent for HEARTBEAT seconds and the current step has
        taken a good part of that."""
        now = self._clock()
        self._phase = None if text is None else (text, now)
        if text is not None and now - self._last >= HEARTBEAT \
                and now - self._step_start >= HEARTBEAT / 2:  # fmt: skip
            self.line(text)

    def _watch(self) -> None:
        # The main thread may sit in one numpy call for a minute; numpy lets go of the GIL for
        # big arrays, so this thread can still say what is running.
        while not self._stop.wait(HEARTBEAT / 4):
            phase, now = self._phase, self._clock()
            if phase is not None and now - self._last >= HEARTBEAT \
                    and now - phase[1] >= HEARTBEAT:  # fmt: skip
                taken = now - phase[1]
                self.line(f"{phase[0]} ({taken:.1f} s so far)" if taken < 10
                          else f"{phase[0]} ({taken:.0f} s so far)")  # fmt: skip


def flushed_print(text: str) -> None:
    """print(), flushed at once: progress must show up even when the output goes to a pipe."""
    print(text, flush=True)


# ---------------------------------------------------------------------------------------------
# Memory
# ---------------------------------------------------------------------------------------------

#: Bytes of working memory per sample of a batch in one training step: measured 33 to 42 for one
#: feature and 12 more for each further one (peak resident memory of `tinygrad-lr train --steps 3`
#: at batch sizes of 10⁶ to 10⁸: the batch's float32 arrays in the forward and backward passes,
#: and the float64 copy the closed form's running sums take), with a margin.
BYTES_PER_SAMPLE = (48, 16)
#: Bytes kept per step: the batch loss and (w…, b) in float64 (see FitResult), and the loss
#: curve's three float64 arrays of the same length (a cumulative sum, and the running mean).
BYTES_PER_STEP = (8 * 3 + 24, 8)  # one feature; each further one


#: Bytes per entry of the closed form's (K + 1) × (K + 1) matrix AᵀA: itself, each batch's xᵀx,
#: and what the solver copies (float64).
BYTES_PER_NORMAL_ENTRY = 8 * 4


def memory_needed(steps: int, batch_size: int, features: int) -> int:
    """The memory a training run needs beyond the interpreter's own, in bytes (an estimate)."""
    per_sample = BYTES_PER_SAMPLE[0] + BYTES_PER_SAMPLE[1] * (features - 1)
    per_step = BYTES_PER_STEP[0] + BYTES_PER_STEP[1] * (features - 1)
    normal_equations = BYTES_PER_NORMAL_ENTRY * (features + 1) ** 2
    return batch_size * per_sample + steps * per_step + normal_equations


def memory_available() -> int | None:
    """The memory this process can still take, in bytes, where the system says (None if not)."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:  # Linux: counts reclaimable caches
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def format_bytes(n: float) -> str:
    """1234567 -> "1.2 MB", 23e9 -> "23 GB": decimal units, one decimal below 10."""
    units = ("B", "kB", "MB", "GB", "TB", "PB", "EB")
    k = 0
    while n >= 999.5 and k < len(units) - 1:
        n /= 1000
        k += 1
    if k == 0:
        return f"{int(n)} B"
    return f"{n:.1f} {units[k]}" if n < 9.95 else f"{n:.0f} {units[k]}"
