"""`autograd.Function`: an operation you write yourself, forward and backward, as in PyTorch.

    class Cube(autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 3

        @staticmethod
        def backward(ctx, g):                 # g = dL/d(output), a Tensor
            (x,) = ctx.saved_tensors
            return g * 3 * x ** 2             # dL/dx, one gradient per forward argument

    y = Cube.apply(x)

It is the engine's own `Function` (the built-in ops subclass it too) with the three things PyTorch
gives a Function you write: `forward` and `backward` see Tensors rather than numpy arrays, and run
with grad mode off (on in a `create_graph` backward, so that a backward made of tensor ops can be
differentiated again); `apply` takes any arguments, not only tensors; and what `backward` returns
is checked (one gradient per argument, each of its argument's shape) before the walk goes on.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..core import engine
from ..core.engine import _Mode, no_grad
from ..core.ops.common import sum_to_shape
from ..core.tensor import Tensor


class Function(engine.Function):
    """Subclass it with static `forward(ctx, *args)` and `backward(ctx, *grads)`; call `.apply`.

    `ctx` keeps what backward needs: `ctx.save_for_backward(*tensors)` then `ctx.saved_tensors`
    (checked for in-place changes in between), or any attribute (`ctx.k = k`).
    `ctx.needs_input_grad` has one bool per argument of `apply`. PyTorch's newer form, a
    `forward(*args)` without ctx plus `setup_context(ctx, inputs, output)`, works too.

    Differences from PyTorch: `forward` returns one Tensor (several outputs are not supported),
    and there is no `mark_dirty` (in-place forwards) or forward-mode `jvp`.
    """

    works_on_tensors = True
    name = "function"
    arguments: tuple = ()  # (shape, dtype) of each Tensor argument of apply, None for the others

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" not in cls.__dict__:
            cls.name = cls.__name__  # how graphs and errors name the op
        if "formula" not in cls.__dict__:  # the rule, as the pictures show it: the code you wrote
            cls.formula = f"z = {cls.__name__}.forward(a, …);   da = {cls.__name__}.backward(g)"

    @staticmethod
    def backward(ctx: Any, *grads: Any) -> Any:
        """The chain rule for your op: what each argument of `apply` sends on.

        Args:
            ctx: the node, holding what forward kept (`ctx.saved_tensors`, attributes).
            *grads: g = dL/d(output), a Tensor of the output's shape.

        Returns:
            dL/d(argument) for each argument of `apply`: a Tensor of that argument's shape (or of
                a shape it broadcasts to), or None for an argument that is not a tensor or needs no
                gradient. One gradient may be returned bare instead of in a tuple.
        """
        raise NotImplementedError(
            f"You must implement the backward method for your custom autograd.Function "
            f"{type(ctx).__name__} to use it with backward()"
        )

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple, output: Any) -> None:
        """PyTorch's split form: keep in `ctx` what backward needs, after `forward(*args)` ran.

        Args:
            ctx: the node, as backward will receive it.
            inputs: the arguments `apply` was called with.
            output: what forward returned.
        """
        raise NotImplementedError  # only called when a subclass defines it

    @classmethod
    def node_name(cls) -> str:
        """The node's name as PyTorch prints it for a Function you write.

        Returns:
            The class name followed by `Backward`, as in `<CubeBackward object at …>`.
        """
        return f"{cls.__name__}Backward"

    @classmethod
    def apply(cls, *args: Any, **kwargs: Any) -> Any:
        """Run your op: forward with grad mode off, then, if a tensor argument requires grad,
        record a node whose backward is yours.

        Args:
            *args: forward's arguments after ctx: tensors, numbers, anything.
            **kwargs: forward's keyword arguments.

        Returns:
            forward's Tensor, as a new tensor whose `grad_fn` is this op's node (or, if forward
                returned something that is not a tensor, that value unchanged).
        """
        ctx = object.__new__(cls)
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a.requires_grad for a in args)
        with no_grad():
            if cls.setup_context is not Function.setup_context:  # forward(*args), then this
                result = cls.forward(*args, **kwargs)
                cls.setup_context(ctx, args, result)
            else:
                result = cls.forward(ctx, *args, **kwargs)
        if not isinstance(result, Tensor):
            if isinstance(result, (tuple, list)):
                raise TypeError(f"{cls.__name__}.forward returned a {type(result).__name__}: "
                                "a custom Function here returns a single Tensor")
            return result  # not a tensor: nothing to differentiate, passed through as PyTorch does
        out = Tensor._wrap(result._data)  # a tensor of its own, even if forward returned an input
        if (_Mode.grad_enabled and True in ctx.needs_input_grad and out.dtype.kind == "f"
                and id(result) not in ctx.non_differentiable):  # fmt: skip
            tensors = [a for a in args if isinstance(a, Tensor)]
            ctx.saved = tuple(s._data if isinstance(s, Tensor) else s for s in ctx.saved)
            ctx._record(tensors, result._data, out)
            ctx.inputs = tuple(ctx.inputs[tensors.index(a)] if isinstance(a, Tensor) else None
                               for a in args)  # fmt: skip
            ctx.arguments = tuple((a.shape, a.dtype) if isinstance(a, Tensor) else None
                                  for a in args)  # fmt: skip
        return out

    non_differentiable: frozenset = frozenset()

    def mark_non_differentiable(self, *outputs: Tensor) -> None:
        """Say, inside forward, that an output has no gradient (an index, a mask).

        Args:
            *outputs: the tensors forward will return that must not require grad.
        """
        self.non_differentiable = frozenset(map(id, outputs))

    def set_materialize_grads(self, value: bool) -> None:
        """Accepted for PyTorch's sake: the gradient reaching backward here is always a tensor.

        Args:
            value: ignored.
        """

    def _run_backward(self, grad: Any, retain_graph: bool) -> tuple:
        """The engine's step, with backward fed a Tensor and its answer checked."""
        as_tensor = grad if isinstance(grad, Tensor) else Tensor._wrap(grad)
        return self._checked(super()._run_backward(as_tensor, retain_graph))

    def _checked(self, grads: tuple) -> tuple:
        """One gradient per argument of `apply`, each summable to its argument's shape, returned
        as the walk wants them: arrays, or Tensors in a create_graph backward."""
        node = self.node_name()
        if len(grads) != len(self.arguments):
            raise RuntimeError(f"function {node} returned an incorrect number of gradients "
                               f"(expected {len(self.arguments)}, got {len(grads)})")
        checked = []
        for i, (g, argument) in enumerate(zip(grads, self.arguments)):
            if g is not None and not isinstance(g, Tensor):
                raise TypeError(f"function {node} returned a {type(g).__name__} as the "
                                f"gradient at index {i}: expected a Tensor or None")
            if g is None or argument is None:
                if g is not None:
                    raise RuntimeError(f"function {node} returned a gradient different than None "
                                       f"at position {i + 1}, but the corresponding forward "
                                       "input was not a Tensor")
                checked.append(None)
                continue
            checked.append(self._fitted(g, *argument, i))
        return tuple(checked)

    def _fitted(self, g: Tensor, shape: tuple, dtype: Any, i: int) -> Any:
        # A gradient of a shape the argument broadcasts to is summed down to the argument's
        # shape, as the engine does for the built-in ops; any other shape is a bug in backward.
        if g.shape != shape:
            if not _broadcasts_to(shape, tuple(g.shape)):
                raise RuntimeError(f"Function {self.node_name()} returned an invalid gradient at "
                                   f"index {i} - got {list(g.shape)} but expected shape "
                                   f"compatible with {list(shape)}")
            g = sum_to_shape(g, tuple(shape))
        g = g if g.dtype == dtype else g.to(dtype)
        return g if _Mode.saved_as_tensors else g._data


def _broadcasts_to(shape: tuple, target: tuple) -> bool:
    try:
        return np.broadcast_shapes(shape, target) == target
    except ValueError:
        return False
