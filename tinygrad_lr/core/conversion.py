"""How a tensor describes and converts itself: its shape, dtype and device, its memory layout
(`stride`, `storage_offset`, `data_ptr`), one number out of it (`item`), nested lists (`tolist`),
its printed form, Python's number protocols, `to` and the dtype shorthands (`float()`, `long()`,
…).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from . import ops
from .args import Number, dim_arg, fmt
from .dtypes import CPU, device, to_dtype
from .printing import format_tensor
from .size import Size

Tensor: Any = None  # the Tensor class: tensor.py fills it in (it imports this module)


class Conversion:
    """The describing and converting methods of Tensor."""

    # --- describing ----------------------------------------------------------------------------

    @property
    def shape(self) -> Size:
        """The size of each dimension: a `Size`, which is a tuple of ints."""
        return Size(self._data.shape)

    def size(self, dim: int | None = None) -> Any:
        """The shape, or the size of one dimension.

        Args:
            dim: the dimension whose size to give; None for all.

        Returns:
            The shape, a `Size`; or an int, the size of `dim`.

        Examples:
            >>> x = tinygrad_lr.zeros(2, 3)
            >>> x.size(), x.size(1)
            (Size([2, 3]), 3)
        """
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[dim_arg(dim, self.ndim, "size")]

    @property
    def dtype(self) -> np.dtype:
        """The element type: a numpy dtype (`np.dtype('float32')` by default for floats)."""
        return self._data.dtype

    @property
    def device(self) -> device:
        """Always the CPU: `device(type='cpu')`."""
        return CPU

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self._data.ndim

    def dim(self) -> int:
        """The number of dimensions (as `ndim`).

        Returns:
            An int.
        """
        return self._data.ndim

    def element_size(self) -> int:
        """The size of one element in bytes (4 for float32, 1 for bool).

        Returns:
            An int.
        """
        return self._data.itemsize

    @property
    def nbytes(self) -> int:
        """The bytes the elements take: numel() · element_size() (an expanded view counts each
        repeated element, as in PyTorch)."""
        return self._data.size * self._data.itemsize

    def is_floating_point(self) -> bool:
        """Whether the dtype is a floating point one (float16, float32, float64).

        Returns:
            A Python bool.

        Examples:
            >>> tinygrad_lr.tensor([1.0]).is_floating_point()
            True
        """
        return self._data.dtype.kind == "f"

    @property
    def is_cuda(self) -> bool:
        """False: tensors live on the CPU."""
        return False

    # --- the memory layout ---------------------------------------------------------------------

    def stride(self, dim: int | None = None) -> Any:
        """How many elements apart in memory two neighbours along each dimension are.

        A transpose swaps them, an `expand`ed dimension has stride 0, a slice with a step
        multiplies one. As in PyTorch, an empty tensor reports the strides of a contiguous one,
        and a size-1 dimension added by indexing with None (numpy says 0 there) the stride
        `unsqueeze` gives it: the next dimension's stride times its size.

        Args:
            dim: the dimension whose stride to give; None for all.

        Returns:
            A tuple of ints, one per dimension; or an int, the stride of `dim`.

        Examples:
            >>> x = tinygrad_lr.zeros(2, 3)
            >>> x.stride(), x.t().stride(), x[:, ::2].stride(1)
            ((3, 1), (1, 3), 2)
        """
        shape = self._data.shape
        strides = [s // self._data.itemsize for s in self._data.strides]
        contiguous = 1  # the stride of dimension i in a contiguous layout
        for i in reversed(range(len(shape))):
            if self._data.size == 0:
                strides[i] = contiguous
            elif shape[i] == 1 and strides[i] == 0:
                strides[i] = strides[i + 1] * shape[i + 1] if i + 1 < len(shape) else 1
            contiguous *= max(shape[i], 1)
        if dim is None:
            return tuple(strides)
        return strides[dim_arg(dim, self.ndim, "stride")]

    def storage_offset(self) -> int:
        """How many elements into the memory of the tensor it is a view of the first element is
        (0 for a tensor that owns its memory).

        Returns:
            An int.

        Examples:
            >>> x = tinygrad_lr.arange(6).reshape(2, 3)
            >>> x[1].storage_offset(), x[1, 1:].storage_offset()
            (3, 4)
        """
        if self._base is None:
            return 0
        return (self.data_ptr() - self._base.data_ptr()) // self._data.itemsize

    def data_ptr(self) -> int:
        """The memory address of the first element.

        Returns:
            An int (views of one memory differ by their offsets times the element size).
        """
        return int(self._data.__array_interface__["data"][0])

    def numel(self) -> int:
        """The number of elements.

        Returns:
            An int.
        """
        return int(self._data.size)

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def item(self) -> Number:
        """The single value as a Python number.

        Returns:
            A Python float, int or bool.

        Raises:
            RuntimeError: for a tensor of more than one element.
        """
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to "
                               f"Scalar (item() needs exactly one; shape is {fmt(self.shape)})")
        return self._data.item()

    def tolist(self) -> Any:
        """The values as (nested) Python lists of numbers.

        Returns:
            Nested lists, as deep as self has dimensions (a number for a 0-d tensor).
        """
        return self._data.tolist()

    def __repr__(self) -> str:
        return format_tensor(self)

    def __format__(self, spec: str) -> str:
        # f"{loss:.4f}" formats a one-element tensor as its number (PyTorch: a 0-d one only).
        if self._data.size == 1 and spec:
            return format(self._data.item(), spec)
        return object.__format__(self, spec)  # repr, or PyTorch's TypeError for a spec

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        # IPython shows a tensor as its repr, line by line, so that a tensor inside a list or a
        # dict is indented under its bracket. (A tensor holds no objects: no cycle can happen.)
        with p.group():
            for k, line in enumerate(repr(self).splitlines()):
                if k:
                    p.break_()
                p.text(line)

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with {self._data.size} values is "
                               "ambiguous")
        return bool(self._data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.item())

    __hash__ = object.__hash__  # == is elementwise, so identity is the hash (as in PyTorch)

    def __iter__(self) -> Iterator[Tensor]:
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    # --- dtype, device, copies -----------------------------------------------------------------

    def to(self, *args: Any, **kwargs: Any) -> Tensor:
        """`to(dtype)`, `to(device)`, `to(device, dtype)`, `to(other)`; self if nothing changes.

        Args:
            *args: a dtype, a device (or its name), or a tensor whose dtype to take.
            **kwargs: `dtype=`, `device=`; `non_blocking=` and `copy=` are accepted and change
                nothing.

        Returns:
            A new tensor of the dtype asked for (gradients flow back through the cast), or self.

        Raises:
            RuntimeError: for a device other than the CPU.

        Examples:
            >>> tinygrad_lr.tensor([1.5, 2.5]).to(tinygrad_lr.int64)
            tensor([1, 2])
        """
        dtype, dev = kwargs.pop("dtype", None), kwargs.pop("device", None)
        kwargs.pop("non_blocking", None)
        kwargs.pop("copy", None)
        if kwargs:
            raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, device) or (isinstance(a, str) and a.split(":")[0] in (
                    "cpu", "cuda", "mps", "xpu", "meta")):  # fmt: skip
                dev = a
            else:
                dtype = a
        if dev is not None:
            device(dev)  # raises for anything but the CPU
        if dtype is None:
            return self
        try:
            dt = to_dtype(dtype)
        except TypeError as e:
            raise TypeError(f"to(): {e}") from None
        return self if self._data.dtype == dt else ops.Cast.apply(self, dtype=dt)

    def cpu(self) -> Tensor:
        """self: tensors always live on the CPU.

        Returns:
            self.
        """
        return self

    def cuda(self, *args: Any, **kwargs: Any) -> Tensor:
        """Raises: there is no GPU backend (see `device`).

        Args:
            *args: PyTorch's arguments, ignored.
            **kwargs: PyTorch's keyword arguments, ignored.

        Returns:
            Never returns.

        Raises:
            RuntimeError: always, with the reason.
        """
        device("cuda")
        return self

    def float(self) -> Tensor:
        """As float32 (self if it is already); gradients flow back through the cast.

        Returns:
            A new tensor of that dtype, or self if it has it already.
        """
        return self.to(np.float32)

    def double(self) -> Tensor:
        """As float64 (self if it is already); gradients flow back through the cast.

        Returns:
            A new tensor of that dtype, or self if it has it already.
        """
        return self.to(np.float64)

    def half(self) -> Tensor:
        """As float16 (self if it is already); gradients flow back through the cast.

        Returns:
            A new tensor of that dtype, or self if it has it already.
        """
        return self.to(np.float16)

    def long(self) -> Tensor:
        """As int64 (self if it is already).

        Returns:
            A new tensor of that dtype, or self if it has it already.
        """
        return self.to(np.int64)

    def int(self) -> Tensor:
        """As int32 (self if it is already).

        Returns:
            A new tensor of that dtype, or self if it has it already.
        """
        return self.to(np.int32)

    def bool(self) -> Tensor:
        """As bool (self if it is already).

        Returns:
            A new tensor of that dtype, or self if it has it already.
        """
        return self.to(np.bool_)

    def type(self, dtype: Any = None) -> Any:
        """PyTorch's type name ('torch.FloatTensor') with no argument; with a type (FloatTensor,
        its name, or a dtype), the tensor cast to it.

        Args:
            dtype: a type (FloatTensor, ...), its name ('torch.LongTensor'), or a dtype; None to
                ask for the type's name.

        Returns:
            The name, a str, without `dtype`; else the tensor in that dtype (self if it has it).
        """
        from .legacy import type_of

        return type_of(self, dtype)

    def clone(self) -> Tensor:
        """A copy with its own memory; gradients flow through it to self.

        Returns:
            A new tensor of self's shape and dtype.
        """
        return ops.Clone.apply(self)

    def contiguous(self) -> Tensor:
        """self if its elements lie in memory row after row (C order), else a copy that does.

        Returns:
            self, or a copy in C order (recorded as `clone`, as in PyTorch).
        """
        return self if self.is_contiguous() else self.clone()

    def is_contiguous(self) -> bool:
        """Whether the elements lie in memory row after row, without gaps (C order).

        A transpose, an `expand` or a slice with a step is a view of another layout: False.

        Returns:
            A Python bool.

        Examples:
            >>> x = tinygrad_lr.zeros(2, 3)
            >>> x.is_contiguous(), x.t().is_contiguous()
            (True, False)
        """
        return bool(self._data.flags.c_contiguous)
