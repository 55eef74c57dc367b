"""`Module`, the base of every layer and model, and `Sequential`.

A Module owns Parameters and sub-Modules, registered simply by assigning them as attributes
(`self.fc = Linear(2, 16)`), as in PyTorch, and buffers, registered with `register_buffer`:
tensors that are part of the model's state but are not learnt by gradient descent (BatchNorm's
running mean). From that registry come `parameters()` (what the optimizer updates),
`buffers()`, `zero_grad()`, and `state_dict()` / `load_state_dict()` (what is saved: the
parameters and the persistent buffers).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple

import numpy as np

from ..core import dtypes
from ..core.args import fmt as _fmt
from ..core.engine import no_grad
from ..core.tensor import Tensor
from .parameter import Parameter


class IncompatibleKeys(NamedTuple):
    """What `load_state_dict(strict=False)` skipped.

    Attributes:
        missing_keys: the names of parameters and buffers that `state_dict` did not have.
        unexpected_keys: the names in `state_dict` that no parameter or buffer has.
    """

    missing_keys: list[str]
    unexpected_keys: list[str]


class Module:
    """Base class of layers and models: subclass it, assign parts in `__init__`, write `forward`.

        class Line(Module):
            def __init__(self):
                super().__init__()
                self.fc = Linear(1, 1)          # registered: its weight and bias are parameters
            def forward(self, x):
                return self.fc(x)

    Only `Parameter`s and `Module`s are registered by assignment; a plain Tensor attribute (even
    one with requires_grad=True) is not a parameter, as in PyTorch: `register_buffer` makes it
    part of the state. `model(x)` calls `model.forward(x)`.
    """

    training: bool

    def __init__(self) -> None:
        # Set through object.__setattr__: our __setattr__ needs these dicts to exist first.
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent_buffers_set", set())
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "training", True)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """The computation of this module; subclasses define it, `module(x)` calls it.

        Args:
            *args: the inputs, as the subclass defines them.
            **kwargs: keyword inputs, as the subclass defines them.

        Returns:
            The output, usually a tensor.

        Raises:
            NotImplementedError: on a module whose class does not define it.
        """
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required '
                                  '"forward" function')

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    # --- registration by attribute assignment -------------------------------------------------

    def __setattr__(self, name: str, value: Any) -> None:
        params = self.__dict__.get("_parameters")
        modules = self.__dict__.get("_modules")
        buffers = self.__dict__.get("_buffers")
        if isinstance(value, (Parameter, Module)):
            if params is None:
                kind = "parameters" if isinstance(value, Parameter) else "module"
                raise AttributeError(f"cannot assign {kind} before Module.__init__() call (call "
                                     f"super().__init__() first in {type(self).__name__}.__init__)")
            for registry in (self.__dict__, params, modules, buffers):
                registry.pop(name, None)
            self._non_persistent_buffers_set.discard(name)
            (params if isinstance(value, Parameter) else modules)[name] = value
        elif buffers is not None and name in buffers:
            # A tensor assigned to a buffer's name replaces the buffer (BatchNorm's running
            # statistics may be set this way), as in PyTorch.
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' "
                                "(tinygrad_lr.Tensor or None expected)")
            buffers[name] = value
        elif params is not None and name in params:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                                "(tinygrad_lr.nn.Parameter or None expected)")
            params[name] = None
        elif modules is not None and name in modules:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module "
                                f"'{name}' (tinygrad_lr.nn.Module or None expected)")
            modules[name] = None
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        # Called only when normal lookup fails: registered parts live in the two dicts.
        d = self.__dict__
        if "_parameters" in d and name in d["_parameters"]:
            return d["_parameters"][name]
        if "_buffers" in d and name in d["_buffers"]:
            return d["_buffers"][name]
        if "_modules" in d and name in d["_modules"]:
            return d["_modules"][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        if name in self._parameters:
            del self._parameters[name]
        elif name in self._buffers:
            del self._buffers[name]
            self._non_persistent_buffers_set.discard(name)
        elif name in self._modules:
            del self._modules[name]
        else:
            object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register `param` under `name` (None keeps the name with no parameter, e.g. no bias).

        Args:
            name: the attribute name, without dots.
            param: the parameter, or None.

        Raises:
            TypeError: when `param` is neither a Parameter nor None.
            KeyError: when the name is empty, has a dot, or names a sub-module.
        """
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' object to parameter "
                            f"'{name}' (tinygrad_lr.nn.Parameter or None required)")
        _check_name(name, self._parameters, {**self._buffers, **self._modules})
        self._parameters[name] = param

    def register_buffer(self, name: str, tensor: Tensor | None, persistent: bool = True) -> None:
        """Register `tensor` as a buffer: state that is saved but not learnt.

        A buffer is reached as an attribute (`self.running_mean`), listed by `buffers()`, moved
        by `to(dtype)` when it is floating point, and (if `persistent`) saved by `state_dict()`.
        It is not a parameter: no optimizer sees it, and its values change only where the
        module's code changes them (BatchNorm1d updates its running statistics in place).

        Args:
            name: the attribute name, without dots.
            tensor: the buffer, or None (the name is kept, with no tensor, as for a parameter).
            persistent: save it in `state_dict()` (False keeps it out of saved files).

        Raises:
            AttributeError: before `Module.__init__` has run.
            TypeError: when `tensor` is neither a Tensor nor None.
            KeyError: when the name is empty, has a dot, or names a parameter or sub-module.

        Examples:
            >>> from tinygrad_lr import nn
            >>> counter = nn.Module()
            >>> counter.register_buffer("steps", tinygrad_lr.tensor(0))
            >>> counter.steps.add_(1)
            tensor(1)
            >>> list(counter.state_dict().items())
            [('steps', tensor(1))]
        """
        if "_buffers" not in self.__dict__:
            raise AttributeError("cannot assign buffer before Module.__init__() call")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{type(tensor).__name__}' object to buffer "
                            f"'{name}' (tinygrad_lr.Tensor or None required)")
        _check_name(name, self._buffers, {**self._parameters, **self._modules})
        self._buffers[name] = tensor
        if persistent:
            self._non_persistent_buffers_set.discard(name)
        else:
            self._non_persistent_buffers_set.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register `module` as a child under `name`.

        Args:
            name: the attribute name, without dots.
            module: the sub-module, or None.
        """
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        _check_name(name, self._modules, {**self._parameters, **self._buffers})
        self._modules[name] = module

    # --- walking the tree (iteratively, in registration order) --------------------------------

    def named_modules(self, prefix: str = "", remove_duplicate: bool = True
                      ) -> Iterator[tuple[str, Module]]:  # fmt: skip
        """(name, module) for self and every module inside it, parents first; a module held in
        two places is listed once, by its first name (unless remove_duplicate=False).

        Args:
            prefix: put before every name (self's own name is `prefix`).
            remove_duplicate: list a module held in two places once.

        Yields:
            `(dotted name, module)` pairs.
        """
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate and id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{k}" if name else k, m)
                        for k, m in module._modules.items() if m is not None]
            stack.extend(reversed(children))  # reversed: the first child is popped first

    def modules(self) -> Iterator[Module]:
        """This module and every module inside it, each once.

        Yields:
            The modules, parents first.

        Examples:
            >>> from tinygrad_lr import nn
            >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
            >>> [type(m).__name__ for m in model.modules()]
            ['Sequential', 'Linear', 'ReLU', 'Linear']
        """
        for _, m in self.named_modules():
            yield m

    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for the direct sub-modules, each once.

        Yields:
            `(name, module)` pairs, in registration order.
        """
        seen: set[int] = set()
        for name, m in self._modules.items():
            if m is not None and id(m) not in seen:
                seen.add(id(m))
                yield name, m

    def children(self) -> Iterator[Module]:
        """The direct sub-modules.

        Yields:
            The sub-modules, in registration order.
        """
        for _, m in self.named_children():
            yield m

    def apply(self, fn: Callable[[Module], Any]) -> Module:
        """Call `fn` on every sub-module, children before their parent, then on self; returns
        self. The usual use is initialisation: `model.apply(init_weights)`.

        The children come first (a post-order), as in PyTorch; the walk is iterative, and a
        module held in two places gets `fn` once.

        Args:
            fn: a function of one module; what it returns is ignored.

        Returns:
            self.
        """
        # A depth-first walk with an explicit stack of (module, its unvisited children): a
        # module is listed once all of its children are, as the engine orders graph nodes.
        order: list[Module] = []
        seen = {id(self)}
        stack = [(self, iter(self._modules.values()))]
        while stack:
            module, children = stack[-1]
            for child in children:
                if child is not None and id(child) not in seen:
                    seen.add(id(child))
                    stack.append((child, iter(child._modules.values())))
                    break
            else:
                stack.pop()
                order.append(module)
        for module in order:
            fn(module)
        return self

    def _all_named(self, kind: str) -> Iterator[tuple[str, Any]]:
        # Every (dotted name, tensor) of one kind, a shared one once per name: "parameters",
        # "buffers", or "state" (what state_dict holds: each module's parameters, then its
        # persistent buffers, then its children's, in PyTorch's order).
        stack: list[tuple[str, Module]] = [("", self)]
        while stack:
            prefix, module = stack.pop()
            found = list(module._parameters.items()) if kind != "buffers" else []
            if kind != "parameters":
                found += [(k, b) for k, b in module._buffers.items() if kind == "buffers"
                          or k not in module._non_persistent_buffers_set]  # fmt: skip
            yield from ((prefix + k, v) for k, v in found if v is not None)
            children = [(f"{prefix}{k}.", m) for k, m in module._modules.items() if m is not None]
            stack.extend(reversed(children))

    def _named_once(self, kind: str, prefix: str, recurse: bool, remove_duplicate: bool
                    ) -> Iterator[tuple[str, Any]]:  # fmt: skip
        own = self._parameters if kind == "parameters" else self._buffers
        found = (self._all_named(kind) if recurse else
                 ((k, v) for k, v in own.items() if v is not None))  # fmt: skip
        seen: set[int] = set()
        for name, v in found:
            if not remove_duplicate or id(v) not in seen:
                seen.add(id(v))
                yield (f"{prefix}.{name}" if prefix else name), v

    def named_parameters(self, prefix: str = "", recurse: bool = True,
                         remove_duplicate: bool = True) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, parameter) for every parameter, each once (a shared one by its first
        name); `recurse=False` lists only this module's own.

        Args:
            prefix: put before every name, with a dot.
            recurse: include the parameters of sub-modules.
            remove_duplicate: list a parameter held in two places once.

        Yields:
            `(dotted name, parameter)` pairs, in registration order.

        Examples:
            >>> from tinygrad_lr import nn
            >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
            >>> [(name, tuple(p.shape)) for name, p in model.named_parameters()]
            [('0.weight', (3, 2)), ('0.bias', (3,)), ('2.weight', (1, 3)), ('2.bias', (1,))]
        """
        yield from self._named_once("parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter once: what to hand to an optimizer.

        Args:
            recurse: include the parameters of sub-modules.

        Yields:
            The parameters, in registration order.

        Examples:
            >>> from tinygrad_lr import nn
            >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
            >>> sum(p.numel() for p in model.parameters())
            13
        """
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True,
                      remove_duplicate: bool = True) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, buffer) for every buffer, each once (persistent or not).

        Args:
            prefix: put before every name, with a dot.
            recurse: include the buffers of sub-modules.
            remove_duplicate: list a buffer held in two places once.

        Yields:
            `(dotted name, buffer)` pairs, in registration order.

        Examples:
            >>> from tinygrad_lr import nn
            >>> model = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
            >>> [name for name, _ in model.named_buffers()]
            ['1.running_mean', '1.running_var', '1.num_batches_tracked']
        """
        yield from self._named_once("buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer once.

        Args:
            recurse: include the buffers of sub-modules.

        Yields:
            The buffers, in registration order.
        """
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Set `requires_grad` on every parameter (False freezes them); returns self.

        Args:
            requires_grad: the new flag.

        Returns:
            self.
        """
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    # --- training helpers ---------------------------------------------------------------------

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget the gradients of the last backward(): gradients accumulate otherwise.

        `set_to_none=True` (the default, as in PyTorch) drops the `.grad` tensors; False fills
        them with zeros instead.

        Args:
            set_to_none: drop the `.grad` tensors, rather than fill them with zeros.
        """
        for p in self.parameters():
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.zero_()

    def train(self, mode: bool = True) -> Module:
        """Set the `training` flag of self and every sub-module (layers such as dropout read it).

        Args:
            mode: True for training, False for evaluation.

        Returns:
            self.
        """
        if not isinstance(mode, bool):
            raise ValueError(f"training mode is expected to be boolean, got {type(mode).__name__}")
        for m in self.modules():
            object.__setattr__(m, "training", mode)
        return self

    def eval(self) -> Module:
        """`train(False)`.

        Returns:
            self.
        """
        return self.train(False)

    # --- devices and dtypes -------------------------------------------------------------------

    def to(self, *args: Any, **kwargs: Any) -> Module:
        """`to(device)`, `to(dtype)`, `to(device, dtype)`, `to(tensor)`: in place, returns self.

        The only device is the CPU, so a device is only checked (a GPU raises). A dtype casts
        every floating point parameter and its gradient, and every floating point buffer, in
        place: the module keeps the same Parameter objects, so an optimizer made before still
        holds them. Integer buffers (BatchNorm's count of batches) keep their dtype.

        Args:
            *args: a device (or its name), a floating dtype, or a tensor whose dtype to take.
            **kwargs: `device=`, `dtype=` and `non_blocking=` (which changes nothing).

        Returns:
            self.

        Raises:
            TypeError: for a dtype that is not floating point.
        """
        dtype = _module_to_dtype(args, kwargs)
        if dtype is not None:
            for p in self.parameters():
                if p.dtype.kind == "f" and p.dtype != dtype:
                    p.data = p.data.to(dtype)
                    if p.grad is not None:
                        p.grad = p.grad.to(dtype)
            for b in self.buffers():
                if b.dtype.kind == "f":
                    b.data = b.data.to(dtype)
        return self

    def cpu(self) -> Module:
        """self: parameters always live on the CPU.

        Returns:
            self.
        """
        return self

    def cuda(self, device: Any = None) -> Module:
        """Raises: there is no GPU backend (see `tinygrad_lr.device`).

        Args:
            device: the GPU's index, as in PyTorch.

        Returns:
            Never returns.

        Raises:
            RuntimeError: always, with the reason.
        """
        dtypes.device("cuda" if device is None else f"cuda:{device}")
        return self

    def float(self) -> Module:
        """Cast the floating point parameters to float32, in place; returns self.

        Returns:
            self.
        """
        return self.to(dtypes.float32)

    def double(self) -> Module:
        """Cast the floating point parameters to float64, in place; returns self.

        Returns:
            self.
        """
        return self.to(dtypes.float64)

    def half(self) -> Module:
        """Cast the floating point parameters to float16, in place; returns self.

        Returns:
            self.
        """
        return self.to(dtypes.float16)

    # --- saving and loading -------------------------------------------------------------------

    def state_dict(self) -> OrderedDict[str, Tensor]:
        """{dotted name: tensor} for every parameter and persistent buffer, in an OrderedDict as
        in PyTorch. The tensors share memory with the module's (detached): copy them to keep a
        snapshot.

        Returns:
            An OrderedDict of detached tensors: each module's parameters, then its buffers, then
                its children's (a shared tensor under each of its names).

        Examples:
            >>> from tinygrad_lr import nn
            >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
            >>> list(model.state_dict())
            ['0.weight', '0.bias', '2.weight', '2.bias']
        """
        return OrderedDict((name, v.detach()) for name, v in self._all_named("state"))

    def load_state_dict(self, state_dict: Mapping[str, Any], strict: bool = True
                        ) -> IncompatibleKeys:  # fmt: skip
        """Copy values from `state_dict` into the parameters and persistent buffers, after
        checking all of them.

        A key missing from `state_dict`, an unexpected key (when `strict`), or a shape that
        differs from the module's tensor raises a RuntimeError naming every such key, and then
        nothing is changed. Values are cast to each tensor's dtype.

        Args:
            state_dict: {dotted name: tensor or array}, as `state_dict()` gives it.
            strict: refuse missing and unexpected keys (without it they are skipped, and
                reported in the result).

        Returns:
            `IncompatibleKeys(missing_keys, unexpected_keys)`.

        Raises:
            RuntimeError: naming every key that is missing or unexpected (when `strict`), or
                whose value has another shape or is not numeric.
        """
        if not isinstance(state_dict, Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict).__name__}")
        own = dict(self._all_named("state"))
        missing = [k for k in own if k not in state_dict]
        unexpected = [k for k in state_dict if k not in own]
        errors = []
        if strict and missing:
            errors.append("Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing)
                          + ".")
        if strict and unexpected:
            errors.append("Unexpected key(s) in state_dict: "
                          + ", ".join(f'"{k}"' for k in unexpected) + ".")
        arrays = {}
        for name, p in own.items():
            if name not in state_dict:
                continue
            value = state_dict[name]
            arr = value._data if isinstance(value, Tensor) else np.asarray(value)
            if arr.dtype.kind not in "biuf":
                errors.append(f'value for "{name}" is not numeric (got {type(value).__name__} '
                              f"of dtype {arr.dtype})")
            elif arr.shape != p.shape:
                errors.append(f"size mismatch for {name}: copying a param with shape "
                              f"{_fmt(arr.shape)} from checkpoint, the shape in current model "
                              f"is {_fmt(p.shape)}.")
            else:
                arrays[name] = arr
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                               + "\n\t".join(errors))
        with no_grad():  # a load is not part of any computation to differentiate
            for name, arr in arrays.items():
                own[name].copy_(Tensor._wrap(arr))
        return IncompatibleKeys(missing, unexpected)

    # --- printing -----------------------------------------------------------------------------

    def extra_repr(self) -> str:
        """The text inside the parentheses of this module's repr (its settings).

        Returns:
            The text, empty here: layers with settings override it.
        """
        return ""

    def __repr__(self) -> str:
        # Iterative, like every walk here: each module's lines are built after its children's.
        order = [m for _, m in self.named_modules()]
        text: dict[int, str] = {}
        for m in reversed(order):
            lines = [f"({k}): " + text.get(id(c), repr(c)).replace("\n", "\n  ")
                     for k, c in m._modules.items() if c is not None]
            head = f"{type(m).__name__}({m.extra_repr()}"
            text[id(m)] = head + ("\n  " + "\n  ".join(lines) + "\n)" if lines else ")")
        return text[id(self)]


def _check_name(name: Any, own: dict, other: dict) -> None:
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    if not name or "." in name:
        raise KeyError(f'name must be a non-empty string without ".", got "{name}"')
    if name in other:
        raise KeyError(f"attribute '{name}' already exists")


def _module_to_dtype(args: tuple, kwargs: dict[str, Any]) -> Any:
    """The dtype asked of Module.to (None if only a device), after checking the device."""
    dtype, device = kwargs.pop("dtype", None), kwargs.pop("device", None)
    kwargs.pop("non_blocking", None)
    if kwargs:
        raise TypeError(f"to() got unexpected keyword arguments {sorted(kwargs)}")
    for a in args:
        if isinstance(a, Tensor):
            dtype = a.dtype
        elif isinstance(a, (str, dtypes.device)):  # a string is a device, as in PyTorch
            device = a
        else:
            dtype = a
    if device is not None:
        dtypes.device(device)  # raises for anything but the CPU
    if dtype is None:
        return None
    dt = dtypes.to_dtype(dtype)
    if dt.kind != "f":
        raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got desired "
                        f"dtype={dt}")
    return dt
