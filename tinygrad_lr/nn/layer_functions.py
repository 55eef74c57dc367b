"""The functions behind the normalisation layers and the embedding table, with `one_hot` and
`normalize` (all reached as `nn.functional.<name>`, as in PyTorch).

`layer_norm` and `batch_norm` are the same computation, (x − mean) / √(var + eps), over
different elements: a layer norm takes the statistics of each sample over its last dimensions,
a batch norm those of each channel over the batch. Both are built from the Tensor's mean and var,
so their gradients, which run through the statistics too, come from the chain rule.
"""

from __future__ import annotations

from typing import Any

from ..core import creation
from ..core.args import fmt as _fmt
from ..core.args import tensor_arg as _tensor_arg
from ..core.engine import no_grad
from ..core.tensor import Tensor
from .loss_functions import TYPE_NAMES, scalar_type


def _check_floating(x: Tensor, op: str) -> None:
    if x.dtype.kind != "f":
        raise NotImplementedError(f'"{op}" not implemented for \'{scalar_type(x.dtype)}\': its '
                                  f"input must be floating point, got {x.dtype}")


def _check_same_dtype(x: Tensor, others: dict[str, Tensor | None], op: str) -> None:
    # PyTorch refuses to mix a float32 input with float64 statistics or weights here, rather
    # than promote one of them: the mix is usually a mistake.
    for name, v in others.items():
        if v is not None and v.dtype != x.dtype:
            raise RuntimeError(f"mixed dtype (CPU): all inputs must share same datatype. "
                               f"({op}: the input is {x.dtype}, {name} is {v.dtype})")


def layer_norm(input: Tensor, normalized_shape: tuple[int, ...] | list[int],  # noqa: A002
               weight: Tensor | None = None, bias: Tensor | None = None,
               eps: float = 1e-5) -> Tensor:  # fmt: skip
    """(x − mean) / √(var + eps) · weight + bias, the statistics taken over the last dimensions.

    Each sample (each position, for a sequence) is normalised on its own, over the dimensions
    `normalized_shape` names: its features end with mean 0 and variance 1 (the biased variance,
    divided by the count n, not n − 1), whatever the batch holds. `weight` and `bias`, of shape
    `normalized_shape`, then give each feature a learnt scale and shift.

    Args:
        input: a floating point tensor of shape (*, *normalized_shape).
        normalized_shape: the sizes of the last dimensions to normalise over, a tuple or list
            of ints (an int is refused, as PyTorch's function does; LayerNorm accepts one).
        weight: the scale, of shape `normalized_shape`; None for none.
        bias: the shift, of shape `normalized_shape`; None for none.
        eps: added to the variance, so that a constant row does not divide by 0.

    Returns:
        A tensor of the input's shape.

    Raises:
        RuntimeError: when the input does not end in `normalized_shape`, weight or bias has
            another shape, or the dtypes differ.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> F.layer_norm(tinygrad_lr.tensor([[1.0, 2.0, 3.0]]), (3,))
        tensor([[-1.2247,  0.0000,  1.2247]])
    """
    x = _tensor_arg(input, "layer_norm", "input")
    if not isinstance(normalized_shape, (tuple, list)):
        raise TypeError(f"layer_norm(): argument 'normalized_shape' (position 2) must be tuple of "
                        f"ints, not {type(normalized_shape).__name__}")
    shape = tuple(normalized_shape)
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., "
                           "containing at least one element, but got normalized_shape = []")
    k = len(shape)
    if x.shape[-k:] != shape:
        raise RuntimeError(f"Given normalized_shape={list(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size"
                           f"{list(x.shape)}")
    for name, v in (("weight", weight), ("bias", bias)):
        if v is not None and tuple(_tensor_arg(v, "layer_norm", name).shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got "
                               f"{name} of shape {list(v.shape)} and normalized_shape = "
                               f"{list(shape)}")
    _check_floating(x, "layer_norm")
    _check_same_dtype(x, {"weight": weight, "bias": bias}, "layer_norm")
    dims = tuple(range(-k, 0))
    mean = x.mean(dims, keepdim=True)
    var = x.var(dims, correction=0, keepdim=True)
    out = (x - mean) / (var + eps).sqrt()
    if weight is not None:
        out = out * weight
    return out if bias is None else out + bias


def _check_batch_norm(x: Tensor, stats: dict[str, Tensor | None], training: bool,
                      eps: float) -> None:  # fmt: skip
    if x.ndim < 2:
        raise RuntimeError(f"batch_norm(): expected an input of shape (N, C) or (N, C, *), got "
                           f"shape {_fmt(x.shape)}")
    # With one value per channel the batch variance is 0 and every output would be 0 (or
    # the bias): nothing to learn from, so PyTorch refuses it.
    if training and x.numel() // x.shape[1] == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size "
                         f"{x.shape}")
    if training and eps <= 0:
        raise ValueError(f"batch_norm eps must be positive during training, but got {eps}")
    if eps < 0:
        raise ValueError(f"batch_norm eps must be non-negative, but got {eps}")
    channels = x.shape[1]
    for name, v in stats.items():
        if v is not None and _tensor_arg(v, "batch_norm", name).numel() != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {v.numel()}: the "
                               f"input of shape {_fmt(x.shape)} has {channels} channels "
                               f"(dimension 1)")
    _check_floating(x, "batch_norm")
    _check_same_dtype(x, stats, "batch_norm")
    if not training:
        for name in ("running_mean", "running_var"):
            if stats[name] is None:
                raise RuntimeError(f"{name} must be defined in evaluation mode")


def batch_norm(input: Tensor, running_mean: Tensor | None,  # noqa: A002
               running_var: Tensor | None, weight: Tensor | None = None,
               bias: Tensor | None = None, training: bool = False, momentum: float = 0.1,
               eps: float = 1e-5) -> Tensor:  # fmt: skip
    """(x − mean) / √(var + eps) · weight + bias, per channel: the statistics of each channel
    (dimension 1) over the batch and any positions after it.

    In training, mean and var are the batch's own (var biased: divided by the count n), and
    the gradient runs through them, so each sample's gradient depends on the others in the
    batch. The running estimates, if given, are then updated in place, outside the graph:
    running = (1 − momentum)·running + momentum·batch, with the unbiased variance (divided by
    n − 1), an estimate of the population's. Out of training, the running estimates are used
    instead, and each sample is normalised on its own.

    Args:
        input: a floating point tensor of shape (N, C) or (N, C, *).
        running_mean: the running mean, of shape (C,), or None (not tracked).
        running_var: the running variance, of shape (C,), or None.
        weight: the per-channel scale, of shape (C,); None for none.
        bias: the per-channel shift, of shape (C,); None for none.
        training: use the batch's statistics (and update the running ones).
        momentum: the weight of the batch in the running estimates.
        eps: added to the variance, so that a constant channel does not divide by 0.

    Returns:
        A tensor of the input's shape.

    Raises:
        ValueError: in training, for a batch with one value per channel, or eps ≤ 0.
        RuntimeError: when a statistic, weight or bias does not have C elements, or in
            evaluation without running statistics.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> mean, var = tinygrad_lr.zeros(1), tinygrad_lr.ones(1)
        >>> F.batch_norm(tinygrad_lr.tensor([[1.0], [3.0]]), mean, var, training=True)
        tensor([[-1.0000],
                [ 1.0000]])
        >>> mean, var      # moved a tenth of the way to the batch's 2 and unbiased variance 2
        (tensor([0.2000]), tensor([1.1000]))
    """
    x = _tensor_arg(input, "batch_norm", "input")
    stats = {"running_mean": running_mean, "running_var": running_var, "weight": weight,
             "bias": bias}  # fmt: skip
    _check_batch_norm(x, stats, training, eps)
    dims = (0, *range(2, x.ndim))
    # A statistic of shape (C,) as (1, C, 1, ...): broadcast over the batch and positions.
    per_channel = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    if training:
        mean, var = x.mean(dims), x.var(dims, correction=0)
        n = x.numel() // x.shape[1]
        with no_grad():
            if running_mean is not None:
                running_mean.mul_(1 - momentum).add_(mean.detach() * momentum)
            if running_var is not None:
                running_var.mul_(1 - momentum).add_(var.detach() * (momentum * n / (n - 1)))
    else:
        mean, var = running_mean, running_var
    out = (x - mean.reshape(per_channel)) / (var.reshape(per_channel) + eps).sqrt()
    if weight is not None:
        out = out * weight.reshape(per_channel)
    return out if bias is None else out + bias.reshape(per_channel)


def check_embedding_options(max_norm: Any, scale_grad_by_freq: bool, sparse: bool) -> None:
    """Refuse, by name, PyTorch's embedding options that are not implemented here."""
    for name, value in (("max_norm", max_norm is not None),
                        ("scale_grad_by_freq", scale_grad_by_freq), ("sparse", sparse)):
        if value:
            raise NotImplementedError(f"embedding: {name} is not supported by tinygrad_lr")


def padding_index(padding_idx: int | None, rows: int) -> int | None:
    """`padding_idx` as a row number (a negative one counts from the end), checked."""
    if padding_idx is None:
        return None
    if not -rows <= padding_idx < rows:
        raise AssertionError(f"Padding_idx must be within num_embeddings (got padding_idx="
                             f"{padding_idx} for {rows} embeddings)")
    return padding_idx % rows


def embedding(input: Tensor, weight: Tensor, padding_idx: int | None = None,  # noqa: A002
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Tensor:  # fmt: skip
    """The rows of `weight` that the integers of `input` pick: `weight[input]`.

    A lookup table: index i gives row i. It is the same as multiplying a one-hot vector by the
    matrix (`one_hot(i, num_rows) @ weight`), without building the one-hot vectors; so the
    gradient of a row is the sum of the gradients of the outputs that picked it.

    Args:
        input: an integer tensor (int64 or int32) of any shape, each value in [0, rows).
        weight: the table, of shape (rows, embedding_dim).
        padding_idx: a row whose lookups pass no gradient back (negative: from the end).
        max_norm: not supported (None only).
        norm_type: used with max_norm only.
        scale_grad_by_freq: not supported (False only).
        sparse: not supported (False only): the gradient is a dense tensor.

    Returns:
        A tensor of shape (*input.shape, embedding_dim).

    Raises:
        RuntimeError: for an index tensor that is not int64 or int32, or a table not 2-d.
        IndexError: for an index outside [0, rows).
        AssertionError: for a padding_idx outside [-rows, rows), as PyTorch.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> table = tinygrad_lr.tensor([[0.0, 0.0], [1.0, 10.0], [2.0, 20.0]])
        >>> F.embedding(tinygrad_lr.tensor([[2, 1], [1, 1]]), table)
        tensor([[[ 2., 20.],
                 [ 1., 10.]],
        <BLANKLINE>
                [[ 1., 10.],
                 [ 1., 10.]]])
    """
    if not isinstance(input, Tensor):
        raise TypeError(f"embedding(): argument 'indices' (position 2) must be Tensor, not "
                        f"{type(input).__name__}")
    weight = _tensor_arg(weight, "embedding", "weight")
    check_embedding_options(max_norm, scale_grad_by_freq, sparse)
    if input.dtype.name not in ("int64", "int32"):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the "
                           f"following scalar types: Long, Int; but got "
                           f"{TYPE_NAMES.get(input.dtype, input.dtype)} instead (while checking "
                           f"arguments for embedding)")
    if weight.ndim != 2:
        raise RuntimeError(f"'weight' must be 2-D, got shape {_fmt(weight.shape)}")
    rows = weight.shape[0]
    padding_idx = padding_index(padding_idx, rows)
    index = input.numpy()
    outside = (index < 0) | (index >= rows)
    if outside.any():
        raise IndexError(f"index out of range in self: index {int(index[outside][0])} for an "
                         f"embedding table of {rows} rows (indices must be in [0, {rows - 1}])")
    out = weight[input]
    if padding_idx is None:
        return out
    # The padding row's lookups give its values (zeros unless changed) but no gradient: where
    # the index is padding_idx, the output is taken from the detached copy.
    keep = (input != padding_idx).unsqueeze(-1)
    return out.where(keep, out.detach())


def one_hot(tensor: Tensor, num_classes: int = -1) -> Tensor:
    """Class indices as one-hot rows: value k becomes a row of zeros with a 1 in column k.

    Args:
        tensor: an int64 tensor of class indices, of any shape.
        num_classes: the length of each row; -1 takes the largest index + 1.

    Returns:
        An int64 tensor of shape (*tensor.shape, num_classes).

    Raises:
        RuntimeError: for a tensor that is not int64, an index that is negative or not smaller
            than num_classes, or an empty tensor with num_classes = -1.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> F.one_hot(tinygrad_lr.tensor([0, 2, 1]))
        tensor([[1, 0, 0],
                [0, 0, 1],
                [0, 1, 0]])
    """
    x = _tensor_arg(tensor, "one_hot", "tensor")
    if x.dtype.name != "int64":
        raise RuntimeError(f"one_hot is only applicable to index tensor of type LongTensor. "
                           f"(got {x.dtype})")
    if not isinstance(num_classes, int) or isinstance(num_classes, bool) or num_classes < -1:
        raise RuntimeError(f"one_hot(): num_classes must be -1 (take the largest index + 1) or a "
                           f"non-negative int, got {num_classes!r}")
    values = x.numpy()
    if num_classes == -1:
        if values.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(values.max()) + 1
    if values.size and values.min() < 0:
        raise RuntimeError(f"Class values must be non-negative. (got {int(values.min())})")
    if values.size and values.max() >= num_classes:
        raise RuntimeError(f"Class values must be smaller than num_classes. (got "
                           f"{int(values.max())} for num_classes={num_classes})")
    return (x.unsqueeze(-1) == creation.arange(num_classes)).long()


def normalize(input: Tensor, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:  # noqa: A002
    """x / max(‖x‖_p, eps) along `dim`: each slice scaled to norm 1.

    The `eps` floor keeps a zero slice at zero (instead of 0/0); its gradient there is 1/eps,
    as in PyTorch, since the denominator is the constant eps.

    Args:
        input: a floating point tensor.
        p: the norm's exponent (2 for the length, 1, float('inf'), ...).
        dim: the dimension each norm runs along.
        eps: the smallest denominator.

    Returns:
        A tensor of the input's shape.

    Examples:
        >>> from tinygrad_lr.nn import functional as F
        >>> F.normalize(tinygrad_lr.tensor([[3.0, 4.0], [0.0, 0.0]]))
        tensor([[0.6000, 0.8000],
                [0.0000, 0.0000]])
    """
    x = _tensor_arg(input, "normalize", "input")
    return x / x.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(x)


__all__ = ["batch_norm", "embedding", "layer_norm", "normalize", "one_hot"]
