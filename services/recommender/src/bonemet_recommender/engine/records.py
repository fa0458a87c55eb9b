"""Frozen records that are quick to build.

The engine's facts and decisions are frozen dataclasses: immutable, hashable, compared by value. The
``__init__`` that ``dataclass(frozen=True)`` writes sets each field through ``object.__setattr__``, and an
evaluation builds dozens of such records (docs/performance.md, "Why the engine's code looks as it does").
``quick_init`` gives a frozen dataclass an ``__init__`` with the same parameters that fills the
instance dict in one call instead: the same fields in the same order, so equality, hashing, ``repr``,
``dataclasses.replace`` and the frozen ``__setattr__`` are unchanged
(``tests/unit/engine/test_records.py`` holds each record to its dataclass ``__init__``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar, cast

_Record = TypeVar("_Record")

DATACLASS_INITS: dict[type, Callable[..., None]] = {}
"""The ``__init__`` each record class had from ``dataclass``, kept for the tests that compare them."""


class _Factory:
    """Default of a parameter whose field has a ``default_factory``: replaced by a fresh value."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


def quick_init(cls: type[_Record]) -> type[_Record]:
    """Replace the ``__init__`` of the frozen dataclass ``cls`` by one that fills ``__dict__`` directly.

    Only the plain case is accepted (frozen, no slots, no ``__post_init__``, every field an ``__init__``
    parameter, none keyword-only, no ``InitVar``): anything else raises at import, never silently differs.
    """
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.frozen or not params.init:
        raise TypeError(f"{cls.__name__}: quick_init takes a frozen dataclass")
    if "__slots__" in cls.__dict__ or hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: quick_init does not handle slots or __post_init__")
    if any(isinstance(f.type, dataclasses.InitVar) for f in cls.__dict__["__dataclass_fields__"].values()):
        raise TypeError(f"{cls.__name__}: quick_init does not handle InitVar")
    namespace: dict[str, Any] = {"_FACTORY": _FACTORY}
    parameters, fill_defaults, assignments = [], [], []
    for field in dataclasses.fields(cast(Any, cls)):
        name = field.name
        if not field.init or field.kw_only:
            raise TypeError(f"{cls.__name__}.{name}: quick_init takes positional __init__ fields only")
        if field.default is not dataclasses.MISSING:
            namespace[f"_default_{name}"] = field.default
            parameters.append(f"{name}=_default_{name}")
        elif field.default_factory is not dataclasses.MISSING:
            namespace[f"_factory_{name}"] = field.default_factory
            parameters.append(f"{name}=_FACTORY")
            fill_defaults.append(f"    if {name} is _FACTORY:\n        {name} = _factory_{name}()\n")
        else:
            parameters.append(name)
        assignments.append(f"{name}={name}")
    source = (
        f"def __init__(self, {', '.join(parameters)}):\n"
        + "".join(fill_defaults)
        + f"    self.__dict__.update({', '.join(assignments)})\n"
    )
    exec(source, namespace)  # noqa: S102 - source built above from the dataclass's own field names
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    DATACLASS_INITS[cls] = cls.__dict__["__init__"]
    type.__setattr__(cls, "__init__", init)
    return cls
