"""Matrix products: `mm`, `matmul`, `bmm`, `mv`, `dot`, `outer`, and `einsum`, which writes any of
them (and traces, diagonals, batched and outer products) as an equation of letters."""

from __future__ import annotations

import string
from typing import Any

from .. import ops
from ..args import fmt, input_arg, tensor_arg
from ..tensor import Tensor


def mm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002
    """Matrix product of two 2-D tensors (`input.mm(mat2)`).

    Args:
        input: a 2-D tensor (n, k).
        mat2: a 2-D tensor (k, m).

    Returns:
        A new tensor of shape (n, m).
    """
    return input_arg(input, "mm").mm(mat2)


def matmul(input: Tensor, other: Tensor) -> Tensor:  # noqa: A002
    """numpy's matmul of two tensors (`input @ other`).

    Args:
        input: a tensor, at least 1-D.
        other: a tensor, at least 1-D.

    Returns:
        A new tensor, as numpy's matmul shapes it.
    """
    return input_arg(input, "matmul").matmul(other)


def bmm(input: Tensor, mat2: Tensor) -> Tensor:  # noqa: A002
    """Batched matrix product of two 3-D tensors.

    Args:
        input: a 3-D tensor (b, n, k).
        mat2: a 3-D tensor (b, k, m).

    Returns:
        A new tensor of shape (b, n, m).
    """
    return input_arg(input, "bmm").bmm(mat2)


def mv(input: Tensor, vec: Tensor) -> Tensor:  # noqa: A002
    """The product of a matrix and a vector (`input.mv(vec)`).

    Args:
        input: a 2-D tensor (n, m).
        vec: a 1-D tensor of m elements.

    Returns:
        A new 1-D tensor of n elements.
    """
    return input_arg(input, "mv").mv(vec)


def dot(input: Tensor, tensor: Tensor) -> Tensor:  # noqa: A002
    """The dot product of two 1-D tensors.

    Args:
        input: a 1-D tensor.
        tensor: a 1-D tensor of the input's size.

    Returns:
        A 0-d tensor.
    """
    return input_arg(input, "dot").dot(tensor)


def outer(input: Tensor, vec2: Tensor) -> Tensor:  # noqa: A002
    """The outer product of two 1-D tensors.

    Args:
        input: a 1-D tensor.
        vec2: a 1-D tensor.

    Returns:
        A new 2-D tensor.

    Examples:
        >>> tinygrad_lr.outer(tinygrad_lr.tensor([1.0, 2.0]), tinygrad_lr.tensor([1.0, 10.0]))
        tensor([[ 1., 10.],
                [ 2., 20.]])
    """
    return input_arg(input, "outer").outer(vec2)


def einsum(equation: str, *operands: Any) -> Tensor:
    """Einstein summation: each operand's dimensions named by letters, the result the sum of the
    products over the letters that the output does not keep.

    "ij,jk->ik" is a matrix product, "bij,bjk->bik" a batched one, "i,j->ij" the outer product,
    "ii->" the trace, "ii->i" the diagonal, "ij->ji" a transpose, "ij->" the sum. Without "->",
    the output keeps the letters that appear once, in alphabetical order (capitals first). "..."
    stands for the dimensions no letter names, broadcast as numpy broadcasts (right-aligned). A
    dimension of size 1 broadcasts against its letter's other sizes.

    Args:
        equation: the subscripts, one group of letters per operand, separated by commas, then
            optionally "->" and the output's letters (spaces are ignored).
        *operands: the tensors, one per group, all of one dtype (or one list of them).

    Returns:
        A new tensor with one dimension per output letter. Each operand's gradient is itself an
            einsum: of the output's gradient with the other operands.

    Raises:
        RuntimeError: for as many operands as groups, a group whose letter count is not its
            operand's number of dimensions, a letter whose sizes disagree, or mixed dtypes.

    Examples:
        >>> a = tinygrad_lr.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> tinygrad_lr.einsum("ij,jk->ik", a, a)
        tensor([[ 7., 10.],
                [15., 22.]])
        >>> tinygrad_lr.einsum("ii", a)
        tensor(5.)
    """
    if not isinstance(equation, str):
        raise TypeError(f"einsum(): the equation must be a str, not {type(equation).__name__}")
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])  # PyTorch's older form, einsum(equation, [a, b])
    if not operands:
        raise ValueError("einsum(): must specify the equation string and at least one operand")
    tensors = [tensor_arg(x, "einsum", f"operands[{i}]") for i, x in enumerate(operands)]
    for i, x in enumerate(tensors):
        if x.dtype != tensors[0].dtype:
            raise RuntimeError(f"einsum(): expected all operands to have the same dtype, but "
                               f"operand 0 is {tensors[0].dtype} and operand {i} is {x.dtype}")
    terms, output = _einsum_terms(equation.replace(" ", ""), [x.ndim for x in tensors])
    sizes = _einsum_sizes(terms, tensors, equation)
    # A dimension of size 1 is copied out to its letter's size, as an expand (whose backward sums
    # the gradient back): the op then sees one size per letter.
    tensors = [x if all(n == sizes[c] for c, n in zip(term, x.shape))
               else x.expand([sizes[c] for c in term]) for term, x in zip(terms, tensors)]
    return ops.Einsum.apply(*tensors, equation=",".join(terms) + "->" + output)


def _einsum_terms(equation: str, ndims: list[int]) -> tuple[list[str], str]:
    """The equation's groups of letters and its output, with "..." written out as letters of its
    own and the output made explicit."""
    left, arrow, right = equation.partition("->")
    terms = left.split(",")
    if len(terms) != len(ndims):
        fewer = len(ndims) < len(terms)
        raise RuntimeError(f"einsum(): {'fewer' if fewer else 'more'} operands were provided than "
                           f"specified in the equation ({len(ndims)} operands for the "
                           f"{len(terms)} groups of {equation!r})")
    for k, term in enumerate(terms + ([right] if arrow else [])):
        _check_letters(term, k, equation)
    named = [len(term.replace("...", "")) for term in terms]
    dots = max((n - m for term, n, m in zip(terms, ndims, named) if "..." in term), default=0)
    fresh = [c for c in string.ascii_letters if c not in equation][:dots]
    for k, (term, n, m) in enumerate(zip(terms, ndims, named)):
        if ("..." in term and m > n) or ("..." not in term and m != n):
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({m}) does "
                               f"not match the number of dimensions ({n}) for operand {k}"
                               + ("" if "..." in term else " and no ellipsis was given"))
        # "..." covers the dimensions no letter names, right-aligned as broadcasting aligns them
        terms[k] = term.replace("...", "".join(fresh[len(fresh) - (n - m):]))
    if not arrow:  # implicit: "..." first, then the letters that appear once, sorted
        once = sorted(c for c in set(left) if c.isalpha() and left.count(c) == 1)
        return terms, "".join(fresh) + "".join(once)
    output = right.replace("...", "".join(fresh))
    for c in output:
        if output.count(c) > 1:
            raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the "
                               f"output of {equation!r}")
        if c not in "".join(terms):
            raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation "
                               f"for any input operand ({equation!r})")
    return terms, output


def _check_letters(term: str, k: int, equation: str) -> None:
    if term.count(".") not in (0, 3) or (term.count(".") == 3 and "..." not in term):
        raise RuntimeError(f"einsum(): found '.' for operand {k} that is not part of an "
                           f"ellipsis, or more than one ellipsis, in {equation!r}")
    for c in term.replace("...", ""):
        if c not in string.ascii_letters:
            raise RuntimeError(f"einsum(): invalid subscript {c!r} in the equation {equation!r}: "
                               "subscripts must be in [a-zA-Z]")


def _einsum_sizes(terms: list[str], tensors: list[Tensor], equation: str) -> dict[str, int]:
    """Each letter's size: the sizes it names must agree, or be 1 (which broadcasts)."""
    sizes: dict[str, int] = {}
    for k, (term, x) in enumerate(zip(terms, tensors)):
        for c, n in zip(term, x.shape):
            name = f"subscript {c}" if c in equation else "a dimension covered by '...'"
            if term.count(c) > 1 and len({m for d, m in zip(term, x.shape) if d == c}) > 1:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {k} but the "
                                   f"sizes don't match (shape {fmt(x.shape)})")
            seen = sizes.setdefault(c, n)
            if n != seen and 1 not in (n, seen):
                raise RuntimeError(f"einsum(): {name} has size {n} for operand {k} which "
                                   f"does not broadcast with previously seen size {seen} (shapes "
                                   f"{', '.join(fmt(t.shape) for t in tensors)})")
            sizes[c] = seen if n == 1 else n
    return sizes


__all__ = [
    "bmm", "dot", "einsum", "matmul", "mm", "mv", "outer",
]  # fmt: skip
