"""Layers that are not activations or normalisations: `Linear`, `Embedding`, `Identity`,
`Flatten`, `Unflatten`, `Dropout`."""

from __future__ import annotations

import math
from typing import Any

from ..core import creation
from ..core.args import dim_arg
from ..core.engine import no_grad
from ..core.tensor import Tensor
from . import functional as F
from . import init
from .layer_functions import check_embedding_options, padding_index
from .module import Module
from .parameter import Parameter


def _check_size(name: str, value: Any) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"Linear: {name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {value}: Linear's "
                           f"{name} must be 0 or more")


class Linear(Module):
    """y = x @ weightᵀ + bias, with weight of shape (out_features, in_features).

    Initialised as in PyTorch: weight by `init.kaiming_uniform_(w, a=√5)`, which is U(±1/√in),
    and bias from U(±1/√in) too, drawn from the package's random generator (so `manual_seed`
    makes it repeatable). That range keeps each output's variance about the same as its
    inputs', whatever `in_features` is. `in_features = 0` is allowed (the output is the bias).

    Args:
        in_features: the size of each input, its last dimension.
        out_features: the size of each output.
        bias: learn a bias (False: `self.bias` is None).
        device: 'cpu' (or None): parameters live on the CPU.
        dtype: the parameters' dtype; None for the default float dtype.

    Examples:
        >>> from tinygrad_lr import nn
        >>> layer = nn.Linear(2, 3)
        >>> layer.weight.shape, layer(tinygrad_lr.zeros(4, 2)).shape
        (Size([3, 2]), Size([4, 3]))
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device: Any = None, dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        _check_size("in_features", in_features)
        _check_size("out_features", out_features)
        self.in_features, self.out_features = in_features, out_features
        self.weight = Parameter(creation.empty(out_features, in_features, dtype=dtype,
                                               device=device))  # fmt: skip
        if bias:
            self.bias = Parameter(creation.empty(out_features, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw the weight and bias again, from PyTorch's default distribution."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1 / math.sqrt(self.in_features) if self.in_features > 0 else 0
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """input @ weightᵀ + bias, for input of shape (..., in_features).

        Args:
            input: a tensor whose last dimension is `in_features`.

        Returns:
            A tensor of shape (..., out_features).
        """
        if not isinstance(input, Tensor):
            raise TypeError(f"Linear.forward() expects a Tensor, got {type(input).__name__}")
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `in_features=2, out_features=3, bias=True`.
        """
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Embedding(Module):
    """A table of `num_embeddings` learnt vectors of size `embedding_dim`, looked up by index:
    `emb(idx)` is `emb.weight[idx]` (see F.embedding).

    The usual first layer for tokens or characters: index i picks row i. The weight is drawn
    from N(0, 1), as in PyTorch, from the package's random generator. The row `padding_idx`, if
    given, starts at zeros and receives no gradient, so it stays as it is during training (a
    "no token here" vector).

    Args:
        num_embeddings: the number of rows (the vocabulary's size).
        embedding_dim: the size of each vector.
        padding_idx: the row that gets no gradient (negative: from the end); None for none.
        max_norm: not supported (None only).
        norm_type: used with max_norm only.
        scale_grad_by_freq: not supported (False only).
        sparse: not supported (False only).
        _weight: a (num_embeddings, embedding_dim) tensor to use as the weight, shared (see
            `from_pretrained`).
        _freeze: with `_weight`, do not learn it (requires_grad=False).
        device: 'cpu' (or None): the weight lives on the CPU.
        dtype: the weight's dtype; None for the default float dtype.

    Examples:
        >>> from tinygrad_lr import nn
        >>> emb = nn.Embedding(10, 3, padding_idx=0)
        >>> emb
        Embedding(10, 3, padding_idx=0)
        >>> emb(tinygrad_lr.tensor([[0, 4, 4], [9, 0, 1]])).shape
        Size([2, 3, 3])
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx: int | None = None,
                 max_norm: float | None = None, norm_type: float = 2.0,
                 scale_grad_by_freq: bool = False, sparse: bool = False,
                 _weight: Tensor | None = None, _freeze: bool = False, device: Any = None,
                 dtype: Any = None) -> None:  # fmt: skip
        super().__init__()
        check_embedding_options(max_norm, scale_grad_by_freq, sparse)
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.padding_idx = padding_index(padding_idx, num_embeddings)
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.sparse = scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = Parameter(creation.empty(num_embeddings, embedding_dim, dtype=dtype,
                                                   device=device), requires_grad=not _freeze)
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != (num_embeddings, embedding_dim):
                raise AssertionError(f"Shape of weight does not match num_embeddings and "
                                     f"embedding_dim: {tuple(_weight.shape)} is not "
                                     f"{(num_embeddings, embedding_dim)}")
            self.weight = Parameter(_weight, requires_grad=not _freeze)

    @classmethod
    def from_pretrained(cls, embeddings: Tensor, freeze: bool = True,
                        padding_idx: int | None = None, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        sparse: bool = False) -> Embedding:  # fmt: skip
        """An Embedding whose weight is `embeddings` (shared, not copied), as in PyTorch.

        Args:
            embeddings: the table, a 2-d floating point tensor (rows, embedding_dim).
            freeze: do not learn it (its requires_grad is False).
            padding_idx: the row that gets no gradient; None for none.
            max_norm: not supported (None only).
            norm_type: used with max_norm only.
            scale_grad_by_freq: not supported (False only).
            sparse: not supported (False only).

        Returns:
            The new Embedding.

        Raises:
            AssertionError: when `embeddings` is not 2-d, as in PyTorch.
        """
        if embeddings.ndim != 2:
            raise AssertionError(f"Embeddings parameter is expected to be 2-dimensional, got "
                                 f"shape {tuple(embeddings.shape)}")
        rows, cols = embeddings.shape
        return cls(rows, cols, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse,
                   _weight=embeddings, _freeze=freeze)

    def reset_parameters(self) -> None:
        """Draw the weight again from N(0, 1), and zero the padding row."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            with no_grad():
                self.weight[self.padding_idx].fill_(0)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """The rows of the weight that `input` picks.

        Args:
            input: an integer tensor (int64 or int32) of any shape, values in
                [0, num_embeddings).

        Returns:
            A tensor of shape (*input.shape, embedding_dim).
        """
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)  # fmt: skip

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `10, 3, padding_idx=0`.
        """
        return f"{self.num_embeddings}, {self.embedding_dim}" + (
            f", padding_idx={self.padding_idx}" if self.padding_idx is not None else "")


class Identity(Module):
    """Returns its input unchanged (a placeholder, e.g. for a layer switched off); any
    arguments given to the constructor are ignored, as in PyTorch.

    Args:
        *args: ignored.
        **kwargs: ignored.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """The input itself.

        Args:
            input: anything.

        Returns:
            `input`, the same object.
        """
        return input


class Flatten(Module):
    """Joins dims start_dim..end_dim into one: (N, 1, 28, 28) → (N, 784) with the defaults,
    which keep the batch dimension.

    Args:
        start_dim: the first dimension to join.
        end_dim: the last dimension to join (included).

    Examples:
        >>> from tinygrad_lr import nn
        >>> nn.Flatten()(tinygrad_lr.zeros(5, 1, 28, 28)).shape
        Size([5, 784])
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """The input with dims start_dim..end_dim joined.

        Args:
            input: a tensor with at least the dimensions named.

        Returns:
            The input's elements, with those dimensions joined into one.
        """
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `start_dim=1, end_dim=-1`.
        """
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Splits one dim into several: Unflatten(1, (1, 28, 28)) turns (N, 784) into
    (N, 1, 28, 28); the sizes must multiply to the dim's size (one may be -1).

    Args:
        dim: the dimension to split.
        unflattened_size: the sizes it is split into, a tuple of ints.
    """

    def __init__(self, dim: int, unflattened_size: tuple[int, ...] | list[int]) -> None:
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)) or not all(
                isinstance(s, int) and not isinstance(s, bool) for s in unflattened_size):
            raise TypeError(f"unflattened_size must be a tuple of ints, but found "
                            f"{unflattened_size!r}")  # fmt: skip
        self.dim, self.unflattened_size = dim, tuple(unflattened_size)

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """The input with `dim` split into `unflattened_size`.

        Args:
            input: a tensor whose dimension `dim` has the sizes' product.

        Returns:
            The input's elements, with that dimension split.

        Raises:
            RuntimeError: when the sizes do not multiply up to the dimension's size.
        """
        dim = dim_arg(self.dim, input.ndim, "unflatten")
        shape = input.shape[:dim] + self.unflattened_size + input.shape[dim + 1:]
        known = math.prod(s for s in self.unflattened_size if s != -1)
        if self.unflattened_size.count(-1) > 1 or (
                -1 not in self.unflattened_size and known != input.shape[dim]) or (
                -1 in self.unflattened_size and (known == 0 or input.shape[dim] % known)):
            raise RuntimeError(f"unflatten: Provided sizes {list(self.unflattened_size)} don't "
                               f"multiply up to the size of dim {self.dim} "
                               f"({input.shape[dim]}) in the input tensor of shape "
                               f"{tuple(input.shape)}")  # fmt: skip
        return input.reshape(shape)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `dim=1, unflattened_size=(1, 28, 28)`.
        """
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class Dropout(Module):
    """In training mode, zeroes each element with probability p and scales the rest by
    1/(1 − p); in evaluation mode (`model.eval()`), passes the input through (see F.dropout).

    Args:
        p: the probability of zeroing an element, in [0, 1].
        inplace: write the result into the input.

    Examples:
        >>> from tinygrad_lr import nn
        >>> _ = tinygrad_lr.manual_seed(0)
        >>> drop = nn.Dropout(0.5)
        >>> drop(tinygrad_lr.ones(6))          # the kept elements are doubled: 1 / (1 - 0.5)
        tensor([2., 0., 0., 0., 2., 2.])
        >>> drop.eval()(tinygrad_lr.ones(3))
        tensor([1., 1., 1.])
    """

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p <= 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, inplace

    def forward(self, input: Tensor) -> Tensor:  # noqa: A002
        """The input with dropout applied if `self.training`, else the input itself.

        Args:
            input: a tensor.

        Returns:
            A tensor of the input's shape.
        """
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        """The settings this layer shows inside its repr's parentheses.

        Returns:
            The text, such as `p=0.5, inplace=False`.
        """
        return f"p={self.p}, inplace={self.inplace}"


__all__ = ["Dropout", "Embedding", "Flatten", "Identity", "Linear", "Unflatten"]
