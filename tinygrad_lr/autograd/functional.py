"""Derivatives of whole functions: `jacobian`, `hessian`, `vjp`, `jvp`, `hvp`, `vhp`.

Each takes a function of tensors and the point at which to differentiate it, as PyTorch's
`torch.autograd.functional` does. They are built from `autograd.grad` alone:

* `vjp`: vᵀ·J, one backward pass;
* `jacobian`: J row by row, one backward pass per output element (`vectorize=False`);
* `jvp`: J·v by the double-backward trick: g(u) = uᵀ·J is linear in u, and its gradient with
  respect to u, taken against v, is J·v;
* `hessian`: the Jacobian of the gradient; `hvp`/`vhp`: H·v and vᵀ·H, a backward through a
  backward (equal, for a function with continuous second derivatives: H is symmetric).

The inputs are differentiated as fresh leaves (detached copies), so the caller's tensors and
their `.grad` are untouched. Without `create_graph=True` the results record nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..core.engine import enable_grad
from ..core.tensor import Tensor

Fn = Callable[..., Any]


def vjp(func: Fn, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:  # fmt: skip
    """The vector-Jacobian product vᵀ·J of `func` at `inputs`, and the function's value.

    One backward pass gives it: the gradient of vᵀ·func(x) with respect to x.

    Args:
        func: a function of one tensor per input, returning a tensor or a tuple of tensors.
        inputs: the point to differentiate at: a tensor, or a tuple of tensors.
        v: dL/d(output), with the shape of func's output (a tuple for several outputs); it may
            be left out when func returns one element.
        create_graph: whether the results carry a graph of their own, so that they can be
            differentiated again (without it they record nothing).
        strict: raise an error, instead of giving zeros, when an output does not depend on an
            input.

    Returns:
        `(func(inputs), vᵀ·J)`; the second has the shape of `inputs` (a tuple for several).

    Examples:
        >>> x = tinygrad_lr.tensor([1.0, 2.0])
        >>> vjp(lambda x: x ** 2, x, tinygrad_lr.ones(2))[1]     # vᵀ·diag(2x)
        tensor([2., 4.])
    """
    xs, single_input = _inputs(inputs, create_graph, "vjp")
    with enable_grad():
        outputs, single_output = _outputs(func(*xs), "vjp")
        vs = _vectors(v, outputs, "v", "vjp", required=not _one_element(outputs))
        grads = _grad(outputs, xs, vs, create_graph, strict, "vjp")
    return _finish(outputs, single_output, create_graph), _finish(grads, single_input,
                                                                 create_graph)  # fmt: skip


def jvp(func: Fn, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:  # fmt: skip
    """The Jacobian-vector product J·v of `func` at `inputs`, and the function's value.

    It is found by the double-backward trick: g(u) = uᵀ·J is linear in u, so the gradient of
    g(u)·v with respect to u is J·v (two backward passes, no Jacobian formed).

    Args:
        func: a function of one tensor per input, returning a tensor or a tuple of tensors.
        inputs: the point to differentiate at: a tensor, or a tuple of tensors.
        v: the direction, with the shape of `inputs` (a tuple for several); it may be left out
            when there is one input of one element.
        create_graph: whether the results carry a graph of their own, so that they can be
            differentiated again (without it they record nothing).
        strict: raise an error, instead of giving zeros, when an output does not depend on an
            input.

    Returns:
        `(func(inputs), J·v)`; the second has the shape of func's output.

    Examples:
        >>> x = tinygrad_lr.tensor([1.0, 2.0])
        >>> jvp(lambda x: x ** 2, x, tinygrad_lr.tensor([1.0, 0.0]))[1]   # diag(2x)·v
        tensor([2., 0.])
    """
    xs, _ = _inputs(inputs, create_graph, "jvp")
    with enable_grad():
        outputs, single_output = _outputs(func(*xs), "jvp")
        vs = _vectors(v, xs, "v", "jvp", required=not _one_element(xs))
        # g(u) = uᵀ·J for a dummy u: linear in u, so that ∂(g·v)/∂u = J·v.
        us = [Tensor(np.zeros(o.shape, o.dtype), requires_grad=True) for o in outputs]
        g = _grad(outputs, xs, us, True, strict, "jvp")
        jv = _grad(list(g), us, vs, create_graph, strict, "jvp")
    return _finish(outputs, single_output, create_graph), _finish(jv, single_output,
                                                                 create_graph)  # fmt: skip


def jacobian(func: Fn, inputs: Any, create_graph: bool = False, strict: bool = False,
             vectorize: bool = False, strategy: str = "reverse-mode") -> Any:  # fmt: skip
    """The Jacobian of `func` at `inputs`, one backward pass per element of the output.

    For an output o and an input x it is a tensor of shape `o.shape + x.shape` whose element
    `[i, j]` is ∂o[i]/∂x[j]. An output that does not depend on an input gives zeros.

    Args:
        func: a function of one tensor per input, returning a tensor or a tuple of tensors.
        inputs: the point to differentiate at: a tensor, or a tuple of tensors.
        create_graph: whether the results carry a graph of their own, so that they can be
            differentiated again (without it they record nothing).
        strict: raise an error, instead of giving zeros, when an output does not depend on an
            input.
        vectorize: PyTorch's batched computation; only False (the default) is supported.
        strategy: only "reverse-mode" (the default) is supported.

    Returns:
        A tensor for one input and one output; a tuple with one block per input for several
            inputs; a tuple of those for several outputs.

    Examples:
        >>> jacobian(lambda x: x ** 2, tinygrad_lr.tensor([1.0, 2.0]))
        tensor([[2., 0.],
                [0., 4.]])
    """
    _reverse_mode_only(vectorize, strategy, "jacobian")
    xs, single_input = _inputs(inputs, create_graph, "jacobian")
    with enable_grad():
        outputs, single_output = _outputs(func(*xs), "jacobian")
        blocks = [_jacobian_of(o, k, xs, create_graph, strict) for k, o in enumerate(outputs)]
    rows = [_finish(row, single_input, create_graph) for row in blocks]
    return rows[0] if single_output else tuple(rows)


def hessian(func: Fn, inputs: Any, create_graph: bool = False, strict: bool = False,
            vectorize: bool = False,
            outer_jacobian_strategy: str = "reverse-mode") -> Any:  # fmt: skip
    """The Hessian of a function that returns one element: the Jacobian of its gradient.

    Its element `H[i][j]` is ∂²f/∂xᵢ∂xⱼ; for several inputs there is one block per pair of
    inputs, of shape `xᵢ.shape + xⱼ.shape`.

    Args:
        func: a function of one tensor per input, returning a tensor of one element.
        inputs: the point to differentiate at: a tensor, or a tuple of tensors.
        create_graph: whether the results carry a graph of their own, so that they can be
            differentiated again (without it they record nothing).
        strict: raise an error, instead of giving zeros, when an output does not depend on an
            input.
        vectorize: PyTorch's batched computation; only False (the default) is supported.
        outer_jacobian_strategy: only "reverse-mode" (the default) is supported.

    Returns:
        A tensor for one input; for several, a tuple of tuples of blocks.

    Examples:
        >>> hessian(lambda x: (x ** 3).sum(), tinygrad_lr.tensor([1.0, 2.0]))   # diag(6x)
        tensor([[ 6.,  0.],
                [ 0., 12.]])
    """
    _reverse_mode_only(vectorize, outer_jacobian_strategy, "hessian")

    def gradient(*xs: Tensor) -> tuple[Tensor, ...]:
        outputs, _ = _outputs(func(*xs), "hessian")
        if len(outputs) != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if outputs[0].numel() != 1:
            raise RuntimeError("The Tensor returned by the function given to hessian should "
                               f"contain a single element (it has shape {tuple(outputs[0].shape)})")
        grads = _grad(outputs, list(xs), [None], True, strict, "hessian")
        return grads[0] if isinstance(inputs, Tensor) else grads

    return jacobian(gradient, inputs, create_graph=create_graph, strict=strict)


def hvp(func: Fn, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:  # fmt: skip
    """The Hessian-vector product H·v of `func` at `inputs`, without forming H.

    A backward pass through a backward pass: the gradient of ∇f(x)·v with respect to x.

    Args:
        func: a function of one tensor per input, returning a tensor of one element.
        inputs: the point to differentiate at: a tensor, or a tuple of tensors.
        v: the direction, with the shape of `inputs` (a tuple for several); it may be left out
            when there is one input of one element.
        create_graph: whether the results carry a graph of their own, so that they can be
            differentiated again (without it they record nothing).
        strict: raise an error, instead of giving zeros, when an output does not depend on an
            input.

    Returns:
        `(func(inputs), H·v)`; the second has the shape of `inputs`.

    Examples:
        >>> x = tinygrad_lr.tensor([1.0, 2.0])
        >>> hvp(lambda x: (x ** 3).sum(), x, tinygrad_lr.ones(2))[1]   # diag(6x)·v
        tensor([ 6., 12.])
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp")


def vhp(func: Fn, inputs: Any, v: Any = None, create_graph: bool = False,
        strict: bool = False) -> tuple[Any, Any]:  # fmt: skip
    """The vector-Hessian product vᵀ·H of `func` at `inputs` (equal to H·v: H is symmetric).

    Args:
        func: a function of one tensor per input, returning a tensor of one element.
        inputs: the point to differentiate at: a tensor, or a tuple of tensors.
        v: the vector, with the shape of `inputs` (a tuple for several); it may be left out
            when there is one input of one element.
        create_graph: whether the results carry a graph of their own, so that they can be
            differentiated again (without it they record nothing).
        strict: raise an error, instead of giving zeros, when an output does not depend on an
            input.

    Returns:
        `(func(inputs), vᵀ·H)`; the second has the shape of `inputs`.
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp")


def _hessian_product(func: Fn, inputs: Any, v: Any, create_graph: bool, strict: bool,
                     name: str) -> tuple[Any, Any]:  # fmt: skip
    xs, single_input = _inputs(inputs, create_graph, name)
    with enable_grad():
        outputs, _ = _outputs(func(*xs), name)
        if len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError(f"The function given to {name} should return a single Tensor "
                               "with a single element")
        vs = _vectors(v, xs, "v", name, required=not _one_element(xs))
        gradient = _grad(outputs, xs, [None], True, strict, name)
        product = _grad(list(gradient), xs, vs, create_graph, strict, name)
    return _finish(outputs, True, create_graph), _finish(product, single_input, create_graph)


# --- the pieces they share ------------------------------------------------------------------


def _reverse_mode_only(vectorize: bool, strategy: str, name: str) -> None:
    if vectorize:
        raise NotImplementedError(f"{name}(vectorize=True) needs a vectorizing map (vmap), which "
                                  "this package does not have; use vectorize=False")
    if strategy != "reverse-mode":
        raise NotImplementedError(f"{name}: only strategy='reverse-mode' is available (there is "
                                  "no forward-mode autograd here)")


def _inputs(inputs: Any, create_graph: bool, name: str) -> tuple[list[Tensor], bool]:
    """Fresh leaves to differentiate at (detached copies, or, with create_graph, views that keep
    the caller's graph), and whether a single tensor was given."""
    single = isinstance(inputs, Tensor)
    given = [inputs] if single else list(inputs)
    for i, x in enumerate(given):
        if not isinstance(x, Tensor):
            raise TypeError(f"The inputs given to {name} must be either a Tensor or a tuple of "
                            f"Tensors but the value at index {i} has type {type(x).__name__}.")
        if x.dtype.kind != "f":
            raise TypeError(f"{name}: input {i} has dtype {x.dtype}; only floating point tensors "
                            "can be differentiated")
    if create_graph:
        xs = [x.view(x.shape) if x.requires_grad else x.detach().requires_grad_() for x in given]
    else:
        xs = [x.detach().requires_grad_() for x in given]
    return xs, single


def _outputs(value: Any, name: str) -> tuple[list[Tensor], bool]:
    single = isinstance(value, Tensor)
    outputs = [value] if single else list(value) if isinstance(value, (tuple, list)) else None
    if outputs is None or not all(isinstance(o, Tensor) for o in outputs):
        raise TypeError(f"The outputs of the user-provided function given to {name} must be "
                        f"either a Tensor or a tuple of Tensors, not {type(value).__name__}")
    return outputs, single


def _one_element(tensors: list[Tensor]) -> bool:
    return len(tensors) == 1 and tensors[0].numel() == 1


def _vectors(v: Any, like: list[Tensor], what: str, name: str, required: bool) -> list[Any]:
    if v is None:
        if required:
            raise RuntimeError(f"The vector {what} can only be None if the user-provided "
                               f"function returns a single Tensor with a single element "
                               f"({name}).")
        return [None]
    vs = [v] if isinstance(v, Tensor) else list(v)
    if len(vs) != len(like) or any(a.shape != b.shape for a, b in zip(vs, like)):
        raise RuntimeError(f"{name}: {what} has shapes {[tuple(a.shape) for a in vs]}, but it "
                           f"must match {[tuple(b.shape) for b in like]}")
    return [a.detach() if not a.requires_grad else a for a in vs]


def _grad(outputs: list[Tensor], xs: list[Tensor], vs: list[Any], create_graph: bool,
          strict: bool, name: str) -> tuple[Tensor, ...]:  # fmt: skip
    """autograd.grad, with zeros where an output does not depend on an input (PyTorch's
    functional API allows that unless `strict`)."""
    from . import grad

    used = [(o, v) for o, v in zip(outputs, vs) if o.requires_grad]
    # The graph is kept: the Jacobian goes through it once per output element.
    found = grad([o for o, _ in used], xs, [v for _, v in used], retain_graph=True,
                 create_graph=create_graph, allow_unused=True) if used else (None,) * len(xs)
    result = []
    for i, (x, g) in enumerate(zip(xs, found)):
        if g is None:
            if strict:
                raise RuntimeError(f"The output of the user-provided function is independent "
                                   f"of input {i}. This is not allowed in strict mode ({name}).")
            g = Tensor._wrap(np.zeros(x.shape, x.dtype))
        result.append(g)
    return tuple(result)


def _jacobian_of(output: Tensor, k: int, xs: list[Tensor], create_graph: bool,
                 strict: bool) -> tuple[Tensor, ...]:  # fmt: skip
    """The blocks ∂output/∂x for each x: one backward pass per element of the output."""
    from ..core.functions import cat

    rows: list[list[Tensor]] = [[] for _ in xs]
    flat = output.reshape(-1)
    for m in range(flat.shape[0]):
        onehot = np.zeros(flat.shape[0], output.dtype)
        onehot[m] = 1
        grads = _grad([output], xs, [Tensor._wrap(onehot.reshape(output.shape))], create_graph,
                      strict, "jacobian")  # fmt: skip
        for row, g in zip(rows, grads):
            row.append(g.reshape(1, -1))
    blocks = []
    for x, row in zip(xs, rows):
        joined = cat(row, 0) if row else Tensor._wrap(np.zeros((0, x.numel()), x.dtype))
        blocks.append(joined.reshape(*output.shape, *x.shape))
    return tuple(blocks)


def _finish(tensors: Any, single: bool, create_graph: bool) -> Any:
    """The results as the caller gave the inputs (one tensor or a tuple), detached unless
    create_graph asked for their graph."""
    done = tuple(t if create_graph else t.detach() for t in tensors)
    return done[0] if single else done


__all__ = ["hessian", "hvp", "jacobian", "jvp", "vhp", "vjp"]
