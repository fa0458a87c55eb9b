"""``records.quick_init``: each record's quick ``__init__`` builds exactly what its dataclass ``__init__`` built."""

from __future__ import annotations

import dataclasses
import inspect
from typing import Any

import pytest

from bonemet_recommender.engine import decisions, draft, facts, prognosis, reirradiation
from bonemet_recommender.engine.records import DATACLASS_INITS, quick_init


def _records() -> list[type]:
    return sorted(DATACLASS_INITS, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_every_frozen_record_of_the_engine_has_the_quick_init() -> None:
    for module in (decisions, draft, facts, prognosis, reirradiation):
        for value in vars(module).values():
            if not (isinstance(value, type) and dataclasses.is_dataclass(value)):
                continue
            if value.__module__ == module.__name__ and value.__dataclass_params__.frozen:  # type: ignore[attr-defined]
                assert value in DATACLASS_INITS, value


@pytest.mark.parametrize("cls", _records(), ids=lambda cls: cls.__qualname__)
def test_same_parameters(cls: type) -> None:
    quick = inspect.signature(cls.__init__).parameters  # type: ignore[misc]
    original = inspect.signature(DATACLASS_INITS[cls]).parameters
    assert list(quick) == list(original)
    for name, parameter in original.items():
        assert quick[name].kind == parameter.kind
        if repr(parameter.default) == "<factory>":
            assert repr(quick[name].default) == "<factory>"
        else:
            assert quick[name].default is parameter.default


def _build_both(cls: type, args: list[Any]) -> tuple[Any, Any]:
    quick = cls(*args)
    original = object.__new__(cls)
    DATACLASS_INITS[cls](original, *args)
    return quick, original


@pytest.mark.parametrize("cls", _records(), ids=lambda cls: cls.__qualname__)
def test_same_instance(cls: type) -> None:
    fields = dataclasses.fields(cls)
    # Every field given (a distinct marker each), then only the required ones (defaults and factories).
    everything = [f"value of {f.name}" for f in fields]
    required = [
        f"value of {f.name}"
        for f in fields
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]
    for args in (everything, required):
        quick, original = _build_both(cls, args)
        assert list(vars(quick).items()) == list(vars(original).items())  # same values, same order
        assert quick == original
        assert repr(quick) == repr(original)
        assert hash(quick) == hash(original)
        with pytest.raises(dataclasses.FrozenInstanceError):
            quick.__setattr__(fields[0].name, "changed")
    # A factory gives each instance its own value, as the dataclass __init__ does.
    first, second = cls(*required), cls(*required)
    for field in fields:
        if field.default_factory is not dataclasses.MISSING:
            assert getattr(first, field.name) == field.default_factory()
            assert getattr(first, field.name) is not getattr(second, field.name)


def test_keywords_and_replace() -> None:
    fact = facts.Fact(value=3, reference="Observation/1", when=None)
    assert fact == facts.Fact(3, "Observation/1")
    assert dataclasses.replace(fact, value=4) == facts.Fact(4, "Observation/1")
    with pytest.raises(TypeError):
        facts.Fact(3)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        facts.Fact(3, "Observation/1", None, "one too many")  # type: ignore[call-arg]


def test_unsupported_records_are_refused() -> None:
    @dataclasses.dataclass
    class Mutable:
        value: int

    @dataclasses.dataclass(frozen=True)
    class Checked:
        value: int

        def __post_init__(self) -> None:
            pass

    @dataclasses.dataclass(frozen=True, slots=True)
    class Slotted:
        value: int

    @dataclasses.dataclass(frozen=True)
    class KeywordOnly:
        value: int = dataclasses.field(kw_only=True)

    @dataclasses.dataclass(frozen=True)
    class Derived:
        value: int = dataclasses.field(init=False, default=1)

    for cls in (Mutable, Checked, Slotted, KeywordOnly, Derived):
        with pytest.raises(TypeError):
            quick_init(cls)
