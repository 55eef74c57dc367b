"""`tinygrad_lr.compile`: a training step traced once and turned into readable numpy code.

    @tinygrad_lr.compile
    def step(x, y):
        loss = (0.5 * (x.mm(w) + b.expand_as(y) - y) ** 2).sum()
        loss.backward()
        with tinygrad_lr.no_grad():
            w.sub_(0.02 * w.grad)
            b.sub_(0.02 * b.grad)
        w.grad = b.grad = None
        return loss

    step(x, y)          # the first call runs eagerly, and records every kernel it runs
    print(step.source)  # the step as straight-line numpy: forward, backward and update

How it is made, module by module: `traced.py` (values that note the numpy calls made on them),
`recorder.py` (what the engine shows of a step while it runs), `optimizers.py` (SGD's and Adam's
updates, with their settings read at every call), `program.py` (from the notes to source code),
`trace.py` (one compiled signature: calling it, checking it) and `step.py` (`compile` itself).
docs/compile.md walks through the generated code.
"""

from .recorder import CompileError
from .step import CompiledStep, compile

__all__ = ["CompileError", "CompiledStep", "compile"]
