"""A fast screen in front of the ``fhir.resources.R4B`` models: it may only say "valid".

The R4B models validate every nested element through Python: each element re-enters pydantic-core from
a wrap function, then runs two Python model validators that walk the model's fields. The screen compiles,
once per resource type, one pydantic-core validator from those same model schemas with the nested
elements linked directly and the two validators left out, and checks what they check in one walk of the
JSON, from per-class tables built once. A payload the screen passes is valid for the R4B models; any other
goes to the models themselves, which decide it and name its errors (docs/decisions/0013). The screen is
conservative wherever that is simpler: what it cannot vouch for, it leaves to the models.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from fhir.resources.R4B import get_fhir_model_class
from fhir_core.fhirabstractmodel import FHIRAbstractModel
from fhir_core.types import FhirBase, FhirElementOrResourceBase
from fhir_core.utils import is_list_type, is_primitive_type
from pydantic_core import SchemaValidator

_REFERENCE_VALIDATORS = frozenset({"reject_null_complex_elements", "validate_after_model_construction"})
"""The Python model validators of every R4B model, which the screen's walk stands in for."""

_NESTED_ELEMENT = "FhirBase.__get_pydantic_core_schema__.<locals>._validate"
"""The wrap function through which an R4B model validates a nested element by its own model."""

_DROPPED_KEYS = frozenset({"ref", "metadata", "serialization"})


class _NotCompilable(Exception):
    """A model the screen does not reproduce: its elements stay with the reference models."""


@dataclass(frozen=True, slots=True)
class _Rules:
    """What the two Python validators check on one model, by JSON key."""

    elements: dict[str, tuple[_Rules | None, bool]]
    """JSON key -> (the rules of its compiled nested model, if any; whether it is a list of a complex type,
    where a null item is an error: ``reject_null_complex_elements``). Nested rules are filled in once all exist."""
    required: tuple[str, ...]
    """Primitive keys with minimum cardinality 1 (the screen wants the value itself, not an extension)."""
    choices: tuple[tuple[tuple[str, ...], bool], ...]
    """``value[x]``-style choices: their keys and whether one is required (at most one may be given)."""
    by_name: frozenset[str]
    """Python field names that differ from the JSON key (the models accept both; the screen only keys)."""


@dataclass(frozen=True, slots=True)
class Screen:
    resource_type: str
    validator: SchemaValidator
    rules: _Rules

    def passes(self, body: dict[str, Any]) -> bool:
        """True only when the R4B model of ``resource_type`` accepts ``body``."""
        if body.get("resourceType") != self.resource_type or "resource_type" in body:
            return False
        # The models' __init__ takes resourceType out before validating (the compiled model has no such field).
        fields = {key: value for key, value in body.items() if key != "resourceType"}
        try:
            self.validator.validate_python(fields)
            return _obeys(fields, self.rules)
        except Exception:  # whatever the screen cannot vouch for, the models decide
            return False


@cache
def screen_for(resource_type: str) -> Screen | None:
    """The compiled screen of a resource type, or None when the type's own model cannot be compiled."""
    try:
        model = get_fhir_model_class(resource_type)
        compiled: dict[type, dict[str, Any]] = {}
        nesting: dict[type, dict[str, type]] = {}
        root = _compile(model, compiled, nesting)
        rules = {each: _rules_of(each) for each in nesting}
    except (_NotCompilable, KeyError, ValueError, AttributeError, ImportError):
        return None
    for each, children in nesting.items():
        elements = rules[each].elements
        elements.update({key: (rules[child], elements.get(key, (None, False))[1]) for key, child in children.items()})
    schema = {"type": "definitions", "schema": root, "definitions": list(compiled.values())}
    return Screen(resource_type, SchemaValidator(schema), rules[model])


def _ref(model: type) -> str:
    return f"{model.__module__}.{model.__qualname__}"


def _compilable(model: type) -> bool:
    decorators = getattr(model, "__pydantic_decorators__", None)
    return (
        isinstance(model, type)
        and issubclass(model, FHIRAbstractModel)
        and model.__init__ is FHIRAbstractModel.__init__
        and model.__pydantic_post_init__ is None
        and decorators is not None
        and set(decorators.model_validators) == _REFERENCE_VALIDATORS
        and not decorators.field_validators
        and not decorators.validators
        and not decorators.root_validators
    )


def _compile(model: Any, compiled: dict[type, dict[str, Any]], nesting: dict[type, dict[str, type]]) -> dict[str, Any]:
    """A reference to ``model``'s compiled schema, compiling it (and what it nests) when first met."""
    if not _compilable(model):
        raise _NotCompilable(model)
    reference = {"type": "definition-ref", "schema_ref": _ref(model)}
    if model in compiled:
        return reference
    compiled[model] = {}  # placeholder: a model may nest itself (Extension in Extension)
    nesting[model] = {}
    schema = _transform(model.__pydantic_core_schema__, compiled, nesting, nesting[model], None)
    compiled[model] = {**schema, "ref": _ref(model)}
    return reference


def _transform(
    node: dict[str, Any],
    compiled: dict[type, dict[str, Any]],
    nesting: dict[type, dict[str, type]],
    children: dict[str, type],
    key: str | None,
) -> dict[str, Any]:
    """``node`` with the reference validators left out and nested elements linked to compiled models."""
    kind = node["type"]
    if kind not in _KNOWN_KINDS:
        raise _NotCompilable(kind)  # rather refuse than copy a schema kind unread
    function = node["function"].get("function") if isinstance(node.get("function"), dict) else None
    if kind in {"function-before", "function-after"} and getattr(function, "__name__", "") in _REFERENCE_VALIDATORS:
        return _transform(node["schema"], compiled, nesting, children, key)
    if kind == "function-wrap" and getattr(function, "__qualname__", "") == _NESTED_ELEMENT:
        nested = _nested_model(function)
        if nested is not None and _compilable(nested):
            if key is not None:
                children[key] = nested
            return _compile(nested, compiled, nesting)
    copy = {k: v for k, v in node.items() if k not in _DROPPED_KEYS}
    if kind == "model":
        copy["custom_init"] = False
    if kind == "model-field" and isinstance(node.get("validation_alias"), str):
        key = node["validation_alias"]
    for name in _NESTED_SCHEMAS & copy.keys():
        copy[name] = _transform(copy[name], compiled, nesting, children, key)
    if kind == "model-fields":
        copy["fields"] = {name: _transform(f, compiled, nesting, children, key) for name, f in node["fields"].items()}
    if kind == "union":
        copy["choices"] = [
            _transform(c, compiled, nesting, children, key)
            if isinstance(c, dict)
            else (_transform(c[0], compiled, nesting, children, key), c[1])
            for c in node["choices"]
        ]
    return copy


_NESTED_SCHEMAS = frozenset({"schema", "items_schema"})
_KNOWN_KINDS = frozenset(
    {"model", "model-fields", "model-field", "default", "nullable", "union", "list", "any"}
    | {"function-before", "function-after", "function-wrap"}
    | {"str", "int", "bool", "decimal", "date", "datetime", "time", "bytes", "uuid"}
)
"""The schema kinds the R4B models are made of (fhir.resources 8.3)."""


def _nested_model(function: Any) -> type | None:
    cells = dict(zip(function.__code__.co_freevars, (c.cell_contents for c in function.__closure__ or ()), strict=True))
    source = cells.get("source_type")
    if not isinstance(source, type) or not issubclass(source, FhirBase):
        return None
    if issubclass(source, FhirElementOrResourceBase):
        return None  # Resource or Element: the concrete model depends on the payload
    nested = source.get_model_klass()
    return nested if isinstance(nested, type) else None


def _rules_of(model: Any) -> _Rules:
    """The tables of ``reject_null_complex_elements`` and ``validate_after_model_construction`` for one model."""
    fields = model.model_fields
    key_of = {name: field.alias or name for name, field in fields.items()}
    complex_lists = tuple(
        key_of[name]
        for name, field in fields.items()
        if is_list_type(field) and not is_primitive_type(field) and not name.endswith("__ext")
    )
    blank = model.model_construct()
    names = model.get_alias_mapping()
    required = tuple(key_of[names[name]] for name, _extension in blank.get_required_fields())
    choices = tuple(
        (tuple(key_of[name] for name in group), fields[group[0]].json_schema_extra["one_of_many_required"] is True)
        for group in blank.get_one_of_many_fields().values()
    )
    by_name = frozenset(name for name, key in key_of.items() if key != name)
    if {"resourceType", "resource_type"} & (set(key_of) | set(key_of.values())):
        raise _NotCompilable(model)  # the models' __init__ treats these keys apart
    elements: dict[str, tuple[_Rules | None, bool]] = {key: (None, True) for key in complex_lists}
    return _Rules(elements, required, choices, by_name)


def _obeys(node: dict[str, Any], rules: _Rules) -> bool:
    """What the two reference validators would find on ``node`` and every element the screen compiled in it."""
    for key in rules.required:
        if node.get(key) is None:
            return False  # absent value: the reference may accept an extension instead; it decides
    for keys, required in rules.choices:
        given = sum(node.get(key) is not None for key in keys)
        if given > 1 or (required and given == 0):
            return False
    if rules.by_name and not rules.by_name.isdisjoint(node):
        return False
    elements = rules.elements
    for key, value in node.items():
        element = elements.get(key)
        if element is None:
            continue
        nested, complex_list = element
        if type(value) is dict:
            if nested is not None and not _obeys(value, nested):
                return False
        elif type(value) is list:
            for item in value:
                if item is None:
                    if complex_list:
                        return False
                elif nested is not None and type(item) is dict and not _obeys(item, nested):
                    return False
    return True
