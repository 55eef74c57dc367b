"""Modules that hold other modules: `Sequential` (applies them in order), `ModuleList` and
`ModuleDict` (hold them, so that their parameters are registered, and leave the calling to the
owner's `forward`).

A plain Python list of layers is not registered: `model.parameters()` would not see its
parameters and the optimizer would never update them. These containers are.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from .module import Module


def _check_module(m: Any, where: str) -> Module:
    if not isinstance(m, Module):
        raise TypeError(f"{where} is a {type(m).__name__}, not a Module (write ReLU(), with "
                        "parentheses, for a layer)")
    return m


def _index(index: Any, n: int, what: str) -> int:
    if not isinstance(index, int) or isinstance(index, bool):
        raise TypeError(f"{what} indices must be integers or slices, not {type(index).__name__}")
    if not -n <= index < n:
        raise IndexError(f"index {index} is out of range for a {what} of {n} modules")
    return index % n


class Sequential(Module):
    """Modules applied one after the other: `Sequential(Linear(2, 16), Tanh(), Linear(16, 1))`.

    The parts are named "0", "1", …, so the parameters are "0.weight", "0.bias", "2.weight", ….
    `Sequential(OrderedDict([("fc", Linear(2, 16)), ...]))` names them instead.

    Args:
        *modules: the modules, in the order they apply; or one OrderedDict {name: module}.

    Examples:
        >>> from tinygrad_lr import nn
        >>> model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
        >>> model(tinygrad_lr.zeros(4, 2)).shape
        Size([4, 1])
    """

    def __init__(self, *modules: Any) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], OrderedDict):
            for name, m in modules[0].items():
                self.add_module(name, _check_module(m, f"Sequential: {name!r}"))
            return
        for i, m in enumerate(modules):
            self.add_module(str(i), _check_module(m, f"Sequential: argument {i}"))

    def forward(self, input: Any) -> Any:  # noqa: A002
        """Feed the input through the modules in order.

        Args:
            input: what the first module takes.

        Returns:
            What the last module gives (the input itself for an empty Sequential).
        """
        for m in self._modules.values():
            input = m(input)
        return input

    def append(self, module: Module) -> Sequential:
        """Add `module` at the end; returns self.

        Args:
            module: the module to add.

        Returns:
            self.
        """
        self.add_module(str(len(self)), _check_module(module, "Sequential.append"))
        return self

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __getitem__(self, index: int | slice) -> Any:
        parts = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(OrderedDict(parts[index]))
        return parts[_index(index, len(parts), "Sequential")][1]


class ModuleList(Module):
    """A list of modules, registered: `self.layers = ModuleList([Linear(4, 4) for _ in range(3)])`.

    Indexing, `len`, iteration, `append`, `extend` and `insert` work as on a list; the parts are
    named "0", "1", … (renumbered after an insert or a deletion).

    Args:
        modules: the modules to start with.

    Examples:
        >>> from tinygrad_lr import nn
        >>> layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
        >>> len(layers), [name for name, _ in layers.named_parameters()][:3]
        (3, ['0.weight', '0.bias', '1.weight'])
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _renumber(self, parts: list[Module]) -> None:
        self._modules.clear()
        for i, m in enumerate(parts):
            self._modules[str(i)] = m

    def append(self, module: Module) -> ModuleList:
        """Add `module` at the end; returns self.

        Args:
            module: the module to add.

        Returns:
            self.
        """
        self.add_module(str(len(self)), _check_module(module, "ModuleList.append"))
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        """Add each of `modules` at the end; returns self.

        Args:
            modules: an iterable of modules (a ModuleList or a Sequential too).

        Returns:
            self.
        """
        if isinstance(modules, Module) and not isinstance(modules, (ModuleList, Sequential)):
            raise TypeError(f"ModuleList.extend should be called with an iterable, but got "
                            f"{type(modules).__name__}")
        for m in list(modules):
            self.append(m)
        return self

    def insert(self, index: int, module: Module) -> None:
        """Put `module` before position `index`, as list.insert does.

        Args:
            index: the position, as for list.insert.
            module: the module to insert.
        """
        parts = list(self._modules.values())
        parts.insert(index, _check_module(module, "ModuleList.insert"))
        self._renumber(parts)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._modules.values())

    def __getitem__(self, index: int | slice) -> Any:
        parts = list(self._modules.values())
        if isinstance(index, slice):
            return ModuleList(parts[index])
        return parts[_index(index, len(parts), "ModuleList")]

    def __setitem__(self, index: int, module: Module) -> None:
        i = _index(index, len(self), "ModuleList")
        self._modules[str(i)] = _check_module(module, "ModuleList")

    def __delitem__(self, index: int | slice) -> None:
        parts = list(self._modules.values())
        if isinstance(index, slice):
            del parts[index]
        else:
            del parts[_index(index, len(parts), "ModuleList")]
        self._renumber(parts)

    def __iadd__(self, modules: Iterable[Module]) -> ModuleList:
        return self.extend(modules)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """A ModuleList is not called: iterate over it in the owner's forward.

        Args:
            *args: ignored.
            **kwargs: ignored.

        Returns:
            Never returns.

        Raises:
            NotImplementedError: always.
        """
        raise NotImplementedError("ModuleList has no forward(): loop over its modules in your "
                                  "own forward, e.g. `for layer in self.layers: x = layer(x)`")


class ModuleDict(Module):
    """A dict of modules, registered: `self.heads = ModuleDict({"a": Linear(4, 2)})`.

    Indexing by name, `in`, `len`, iteration over the names, `keys`, `values`, `items`, `update`
    and `pop` work as on a dict, in insertion order.

    Args:
        modules: a mapping {name: module}, or (name, module) pairs, to start with.
    """

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None
                 ) -> None:  # fmt: skip
        super().__init__()
        if modules is not None:
            self.update(modules)

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add (or replace) the modules of a mapping or of (name, module) pairs.

        Args:
            modules: a mapping {name: module}, or an iterable of (name, module) pairs.
        """
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for pair in pairs:
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ValueError(f"ModuleDict.update: expected (name, module) pairs, got {pair!r}")
            self[pair[0]] = pair[1]

    def __getitem__(self, key: str) -> Module:
        if key not in self._modules:
            raise KeyError(f"{key!r} (this ModuleDict holds {list(self._modules)})")
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        self.add_module(key, _check_module(module, f"ModuleDict[{key!r}]"))

    def __delitem__(self, key: str) -> None:
        del self._modules[key]

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def keys(self) -> Iterable[str]:
        """The names, in insertion order.

        Returns:
            A view of the names.
        """
        return self._modules.keys()

    def values(self) -> Iterable[Module]:
        """The modules, in insertion order.

        Returns:
            A view of the modules.
        """
        return self._modules.values()

    def items(self) -> Iterable[tuple[str, Module]]:
        """(name, module) pairs, in insertion order.

        Returns:
            A view of the pairs.
        """
        return self._modules.items()

    def pop(self, key: str) -> Module:
        """Remove the module named `key` and return it.

        Args:
            key: the module's name.

        Returns:
            The module removed.

        Raises:
            KeyError: when no module has that name.
        """
        module = self[key]
        del self._modules[key]
        return module

    def clear(self) -> None:
        """Remove every module."""
        self._modules.clear()

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        """A ModuleDict is not called: pick modules from it in the owner's forward.

        Args:
            *args: ignored.
            **kwargs: ignored.

        Returns:
            Never returns.

        Raises:
            NotImplementedError: always.
        """
        raise NotImplementedError("ModuleDict has no forward(): pick modules from it in your own "
                                  "forward, e.g. `self.heads['a'](x)`")


__all__ = ["ModuleDict", "ModuleList", "Sequential"]
