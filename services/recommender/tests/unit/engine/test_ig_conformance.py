"""Every IG element we emit conforms to mCODE 4.0.0 and CodeX Radiation Therapy 2.0.0.

The constraints come from ``tests/data/ig/constraints.json``: its mCODE entries were generated from the
published package ``hl7.fhir.us.mcode`` 4.0.0 (StructureDefinition snapshots, ValueSet composes); its
CodeX entries were transcribed from the CodeX RT FSH at tag 2.0.0 (no generated JSON of CodeX 2.0.0
exists). Provenance, commits and checksums of every source file: ``tests/data/ig/SOURCE.md``;
interpretation (what the constraints mean for our ServiceRequest and BodyStructure):
``tests/data/ig/NOTES.md``.

The checker below reads everything from constraints.json (nothing about a given extension or profile is
written here), so a change in the output, or in the constraints, that breaks conformance fails:

* every extension whose url constraints.json defines, wherever in a resource: context, fixed url,
  ``Extension.extension`` and ``Extension.value[x]`` cardinality and type, each sub-extension slice's
  cardinality, value[x] cardinality and type, required bindings (membership in the value set's include
  concepts, NullFlavor ``UNC`` included where the value set lists it), patterns and fixed values, target
  profile of references, sub-extensions no slice defines, and the FHIRPath invariants (with a small
  evaluator of the FHIRPath subset they use; an invariant it cannot read is an error, not a pass);
* every BodyStructure against the CodeX radiotherapy-volume profile and every profile it claims:
  each element's min/max (per slice, slices told apart by their discriminator's pattern), type,
  pattern/fixed values, bindings and invariants. Extensible bindings outside the value set are warnings.

It runs over the output of every vignette (``tests/vignettes/*.json``) and of the hand-built decisions of
``output_samples.py``, and against deliberately broken resources, which it must report.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import engine_output_samples as samples
import pytest

from bonemet_recommender.engine import evaluate
from bonemet_recommender.engine.output import decision_bundle

TESTS = Path(__file__).resolve().parents[2]
IG = TESTS / "data" / "ig"
VIGNETTES = sorted((TESTS / "vignettes").glob("v*.json"))
AS_OF = datetime.fromisoformat("2026-06-01T12:00:00+00:00")  # tests/vignettes/README.md

CONSTRAINTS: dict[str, Any] = json.loads((IG / "constraints.json").read_text())

IG_PREFIXES = ("http://hl7.org/fhir/us/mcode/", "http://hl7.org/fhir/us/codex-radiation-therapy/")
CODEXRT_VOLUME = "http://hl7.org/fhir/us/codex-radiation-therapy/StructureDefinition/codexrt-radiotherapy-volume"
DOSE = (
    "http://hl7.org/fhir/us/codex-radiation-therapy/StructureDefinition/codexrt-radiotherapy-dose-prescribed-to-volume"
)
MODALITY_AND_TECHNIQUE = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-modality-and-technique"
TECHNIQUE = "http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-radiotherapy-technique"

# FHIR R4 (4.0.1) core value sets that the profiles bind to and constraints.json does not carry.
CORE_VALUE_SETS: dict[str, set[tuple[str, str]]] = {
    "http://hl7.org/fhir/ValueSet/identifier-use|4.0.1": {
        ("http://hl7.org/fhir/identifier-use", code) for code in ("usual", "official", "temp", "secondary", "old")
    },
}
PRIMITIVE_CHECKS: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str) and v != "",
    "code": lambda v: isinstance(v, str) and v == v.strip() and v != "",
    "uri": lambda v: isinstance(v, str) and " " not in v and v != "",
    "http://hl7.org/fhirpath/System.String": lambda v: isinstance(v, str) and v != "",
    "positiveInt": lambda v: isinstance(v, int) and not isinstance(v, bool) and v > 0,
    "boolean": lambda v: isinstance(v, bool),
}
COMPLEX_CHECKS: dict[str, Callable[[Any], bool]] = {
    "CodeableConcept": lambda v: isinstance(v, dict) and bool(v.get("coding") or v.get("text")),
    "Quantity": lambda v: isinstance(v, dict) and isinstance(v.get("value"), int | float),
    "Reference": lambda v: isinstance(v, dict) and bool(v.get("reference") or v.get("identifier")),
    "Identifier": lambda v: isinstance(v, dict) and bool(v.get("value") or v.get("system")),
    "Extension": lambda v: isinstance(v, dict) and isinstance(v.get("url"), str),
}


# --- a FHIRPath subset: enough for the invariants in constraints.json ----------------------------------


class UnsupportedFhirPath(ValueError):
    pass


_TOKEN = re.compile(r"\s*(?:('(?:[^'\\]|\\.)*')|([A-Za-z_$][A-Za-z0-9_]*)|(\(|\)|\.|=|,))")


def _tokens(expression: str) -> list[str]:
    out, position = [], 0
    while position < len(expression.rstrip()):
        match = _TOKEN.match(expression, position)
        if match is None:
            raise UnsupportedFhirPath(f"cannot read {expression[position : position + 20]!r}")
        out.append(match.group(0).strip())
        position = match.end()
    return out


class _Parser:
    """implies < or < and < '=' < path (members, where(), exists()); string literals."""

    def __init__(self, expression: str) -> None:
        self.tokens = _tokens(expression)
        self.at = 0

    def parse(self) -> tuple[Any, ...]:
        node = self._full()
        if self.at != len(self.tokens):
            raise UnsupportedFhirPath(f"unexpected {self.tokens[self.at]!r}")
        return node

    def _peek(self) -> str | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> str:
        token = self._peek()
        if token is None or (expected is not None and token != expected):
            raise UnsupportedFhirPath(f"expected {expected!r}, got {token!r}")
        self.at += 1
        return token

    def _binary(self, operators: tuple[str, ...], operand: Callable[[], tuple[Any, ...]]) -> tuple[Any, ...]:
        node = operand()
        while self._peek() in operators:
            node = (self._take(), node, operand())
        return node

    def _full(self) -> tuple[Any, ...]:
        return self._binary(("implies",), lambda: self._binary(("or",), lambda: self._binary(("and",), self._eq)))

    def _eq(self) -> tuple[Any, ...]:
        node = self._path()
        if self._peek() == "=":
            self._take()
            node = ("=", node, self._path())
        return node

    def _path(self) -> tuple[Any, ...]:
        token = self._peek()
        if token is not None and token.startswith("'"):
            return ("literal", self._take()[1:-1])
        if token == "(":
            self._take()
            node = self._full()
            self._take(")")
            return node
        node = self._invocation(None)
        while self._peek() == ".":
            self._take()
            node = self._invocation(node)
        return node

    def _invocation(self, base: tuple[Any, ...] | None) -> tuple[Any, ...]:
        name = self._take()
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name in ("and", "or", "implies"):
            raise UnsupportedFhirPath(f"unexpected {name!r}")
        if self._peek() != "(":
            return ("member", name, base)
        if name not in ("where", "exists"):
            raise UnsupportedFhirPath(f"function {name}() is not supported")
        self._take("(")
        argument = None if self._peek() == ")" else self._full()
        self._take(")")
        return ("function", name, argument, base)


def _member(item: Any, name: str) -> list[Any]:
    if not isinstance(item, dict):
        return []
    if name == "value" and name not in item:  # value[x]
        keys = [k for k in item if k.startswith("value") and len(k) > 5 and k[5].isupper()]
        value = item[keys[0]] if keys else None
    else:
        value = item.get(name)
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _truth(values: list[Any]) -> bool | None:
    if not values:
        return None
    if len(values) == 1 and isinstance(values[0], bool):
        return values[0]
    raise UnsupportedFhirPath(f"not a boolean: {values!r}")


def _evaluate(node: tuple[Any, ...], context: list[Any]) -> list[Any]:
    kind = node[0]
    if kind == "literal":
        return [node[1]]
    if kind == "member":
        base = context if node[2] is None else _evaluate(node[2], context)
        return [value for item in base for value in _member(item, node[1])]
    if kind == "function":
        _, name, argument, base_node = node
        base = context if base_node is None else _evaluate(base_node, context)
        if name == "where":
            return [item for item in base if _truth(_evaluate(argument, [item])) is True]
        if argument is None:
            return [bool(base)]
        return [any(_truth(_evaluate(argument, [item])) is True for item in base)]
    if kind == "=":
        left, right = _evaluate(node[1], context), _evaluate(node[2], context)
        if not left or not right:
            return []
        if len(left) > 1 or len(right) > 1:
            raise UnsupportedFhirPath("'=' on collections")
        return [left == right]
    left, right = _truth(_evaluate(node[1], context)), _truth(_evaluate(node[2], context))
    if kind == "and":
        result = False if False in (left, right) else (True if left is True and right is True else None)
    elif kind == "or":
        result = True if True in (left, right) else (False if left is False and right is False else None)
    else:  # implies
        result = True if left is False or right is True else (right if left is True else None)
    return [] if result is None else [result]


def fhirpath_holds(expression: str, resource: Any) -> bool:
    """True when the invariant evaluates to true on ``resource`` (empty or false: violated)."""
    return _truth(_evaluate(_Parser(expression).parse(), [resource])) is True


# --- value sets ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expansion:
    codes: frozenset[tuple[str, str]]
    """(system, code) of the include concepts, less the exclude concepts."""
    filtered_systems: frozenset[str]
    """Systems included by a filter (say, descendants of a SNOMED concept): membership of a code outside
    ``codes`` cannot be decided without a terminology server."""


def expand(url: str) -> Expansion:
    """A value set's include concepts and included value sets, less its exclude concepts."""
    if url in CORE_VALUE_SETS:
        return Expansion(frozenset(CORE_VALUE_SETS[url]), frozenset())
    value_set = CONSTRAINTS["valueSets"].get(url)
    if value_set is None:
        raise KeyError(f"value set {url} is not in constraints.json")
    codes: set[tuple[str, str]] = set()
    filtered: set[str] = set()
    for include in value_set["include"]:
        if "filter" in include:
            filtered.add(include["system"])
        codes |= {(include["system"], code) for code in include.get("concepts", [])}
        for included in include.get("valueSet", []):
            inner = expand(included)
            codes |= inner.codes
            filtered |= inner.filtered_systems
    for exclude in value_set.get("exclude", []):
        if "filter" in exclude or "valueSet" in exclude:
            raise NotImplementedError(f"{url}: only concept excludes are supported")
        codes -= {(exclude["system"], code) for code in exclude.get("concepts", [])}
    return Expansion(frozenset(codes), frozenset(filtered))


# --- the checker ---------------------------------------------------------------------------------------


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    checked_extensions: set[str] = field(default_factory=set)
    checked_profiles: set[str] = field(default_factory=set)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _max(definition: dict[str, Any]) -> float:
    return float("inf") if definition["max"] == "*" else int(definition["max"])


def _matches_pattern(value: Any, pattern: Any) -> bool:
    if isinstance(pattern, dict):
        return isinstance(value, dict) and all(_matches_pattern(value.get(k), v) for k, v in pattern.items())
    if isinstance(pattern, list):
        return isinstance(value, list) and all(any(_matches_pattern(v, p) for v in value) for p in pattern)
    return bool(value == pattern)


class Checker:
    def __init__(self, bundle: dict[str, Any]) -> None:
        self.resources = {
            f"{e['resource']['resourceType']}/{e['resource']['id']}": e["resource"] for e in bundle.get("entry", [])
        }
        self.report = Report()

    def error(self, where: str, message: str) -> None:
        self.report.errors.append(f"{where}: {message}")

    def run(self) -> Report:
        for reference, resource in self.resources.items():
            self._walk(resource, reference, resource["resourceType"])
            claimed = _as_list(resource.get("meta", {}).get("profile"))
            for profile in claimed:
                if profile not in CONSTRAINTS["profiles"]:
                    if profile.startswith(IG_PREFIXES):
                        self.error(reference, f"claims {profile}, which constraints.json does not define")
                    continue
                self.check_profile(resource, profile, reference)
            if resource["resourceType"] == "BodyStructure" and CODEXRT_VOLUME not in claimed:
                self.check_profile(resource, CODEXRT_VOLUME, reference)
        return self.report

    # extensions ---------------------------------------------------------------------------------------

    def _walk(self, node: Any, where: str, context_type: str) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                self._walk(item, f"{where}[{index}]", context_type)
        elif isinstance(node, dict):
            for key in ("extension", "modifierExtension"):
                for index, extension in enumerate(_as_list(node.get(key))):
                    self.check_extension(extension, f"{where}.{key}[{index}]", context_type)
            for key, value in node.items():
                if key not in ("extension", "modifierExtension"):
                    self._walk(value, f"{where}.{key}", "Element")

    def check_extension(self, extension: dict[str, Any], where: str, context_type: str) -> None:
        url = extension.get("url", "")
        definition = CONSTRAINTS["extensions"].get(url)
        if definition is None:
            if url.startswith(IG_PREFIXES):
                self.error(where, f"extension {url} is not defined in constraints.json")
            return
        self.report.checked_extensions.add(url)
        where = f"{where}<{url.rsplit('/', 1)[-1]}>"
        contexts = set(definition["context"])
        if context_type not in contexts and not (context_type != "Element" and "DomainResource" in contexts):
            self.error(where, f"not allowed in context {context_type} (contexts {sorted(contexts)})")
        elements = definition["elements"]
        for fixed in elements.get("Extension.url", {}).get("fixed", {}).values():
            if url != fixed:
                self.error(where, f"url must be {fixed}")
        subs = _as_list(extension.get("extension"))
        if "Extension.extension" in elements:
            self._cardinality(f"{where}.extension", len(subs), elements["Extension.extension"])
        self._check_value(extension, elements.get("Extension.value[x]"), where, "Extension.value[x]")

        matched: set[int] = set()
        for name, slice_ in elements.items():
            if not name.startswith("extension:"):
                continue
            members = [s for s in subs if s.get("url") == slice_["url"]]
            self._cardinality(f"{where}.{name}", len(members), slice_)
            for member in members:
                matched.add(id(member))
                member_where = f"{where}.{name}"
                if slice_["url"] in CONSTRAINTS["extensions"]:
                    self.check_extension(member, member_where, "Extension")
                elif member.get("extension"):
                    self.error(member_where, "a simple sub-extension has sub-extensions")
                value_definition = {
                    "min": slice_["valueMin"],
                    "max": slice_["valueMax"],
                    **{k: slice_[k] for k in ("type", "binding", "pattern", "fixed", "targetProfile") if k in slice_},
                }
                self._check_value(member, value_definition, member_where, f"{name}.value[x]")
        for index, sub in enumerate(subs):
            if id(sub) not in matched:
                self.error(f"{where}.extension[{index}]", f"sub-extension {sub.get('url')!r} is not defined")
        self._invariants(definition.get("constraints", []), extension, where)

    def _check_value(self, holder: dict[str, Any], definition: dict[str, Any] | None, where: str, name: str) -> None:
        keys = [k for k in holder if k.startswith("value") and len(k) > 5 and k[5].isupper()]
        if definition is None:
            return
        self._cardinality(f"{where}.{name}", len(keys), definition)
        for key in keys:
            suffix = key[5:]
            type_ = next((t for t in definition.get("type", []) if t in (suffix, suffix[0].lower() + suffix[1:])), None)
            if type_ is None:
                self.error(where, f"{key} is not an allowed type for {name} ({definition.get('type')})")
                continue
            self._check_element_value(holder[key], type_, definition, f"{where}.{key}")

    def _check_element_value(self, value: Any, type_: str, definition: dict[str, Any], where: str) -> None:
        check = PRIMITIVE_CHECKS.get(type_) or COMPLEX_CHECKS.get(type_)
        if check is None:
            self.error(where, f"type {type_} cannot be checked")
        elif not check(value):
            self.error(where, f"{value!r} is not a valid {type_}")
        for key, expected in definition.get("fixed", {}).items():
            if value != expected:
                self.error(where, f"must be exactly {expected!r} ({key})")
        for key, expected in definition.get("pattern", {}).items():
            if not _matches_pattern(value, expected):
                self.error(where, f"does not match {key} {expected!r}")
        if "binding" in definition:
            self._binding(value, type_, definition["binding"], where)
        if definition.get("targetProfile") and type_ == "Reference":
            self._target(value, definition["targetProfile"], where)

    def _binding(self, value: Any, type_: str, binding: dict[str, str], where: str) -> None:
        if binding["strength"] not in ("required", "extensible"):
            return
        expansion = expand(binding["valueSet"])
        if type_ == "CodeableConcept":
            for coding in value.get("coding", []):
                if not coding.get("system") or not coding.get("code"):
                    self.error(where, f"coding without system or code: {coding}")
            codings = [(c.get("system"), c.get("code")) for c in value.get("coding", [])]
        else:
            codings = [(system, value) for system in {s for s, _ in expansion.codes} | expansion.filtered_systems]
        if any(coding in expansion.codes for coding in codings):
            return
        undecided = [c for c in codings if c[0] in expansion.filtered_systems]
        reason = "membership undecidable (filtered include)" if undecided else "no code in"
        message = f"{reason} {binding['valueSet']} ({binding['strength']}): {codings}"
        if binding["strength"] == "required":
            self.error(where, message)
        else:
            self.report.warnings.append(f"{where}: {message}")

    def _target(self, reference: dict[str, Any], profiles: list[str], where: str) -> None:
        target = self.resources.get(reference.get("reference", ""))
        if target is None:
            self.report.warnings.append(f"{where}: {reference} does not resolve in the Bundle (profile not checked)")
            return
        known = [p for p in profiles if p in CONSTRAINTS["profiles"]]
        if not known:
            self.report.warnings.append(f"{where}: target profiles {profiles} are not in constraints.json")
        for profile in known:
            self.check_profile(target, profile, f"{where} -> {reference['reference']}")

    def _cardinality(self, where: str, count: int, definition: dict[str, Any]) -> None:
        if count < definition["min"] or count > _max(definition):
            self.error(where, f"{count} present, cardinality {definition['min']}..{definition['max']}")

    def _invariants(self, constraints: list[dict[str, Any]], node: Any, where: str) -> None:
        for constraint in constraints:
            if constraint["severity"] != "error":
                continue
            try:
                holds = fhirpath_holds(constraint["expression"], node)
            except UnsupportedFhirPath as exc:
                self.error(where, f"invariant {constraint['key']} cannot be evaluated ({exc})")
                continue
            if not holds:
                self.error(where, f"invariant {constraint['key']} fails: {constraint['human']}")

    # profiles -----------------------------------------------------------------------------------------

    def check_profile(self, resource: dict[str, Any], url: str, where: str) -> None:
        profile = CONSTRAINTS["profiles"][url]
        self.report.checked_profiles.add(url)
        where = f"{where}<{url.rsplit('/', 1)[-1]}>"
        elements: dict[str, dict[str, Any]] = profile["elements"]
        root = resource["resourceType"]
        profiled_types = {key.split(".", 1)[0] for key in elements}
        if profiled_types != {root}:
            self.error(where, f"a {root} cannot conform to a profile on {sorted(profiled_types)}")
            return
        for key, definition in elements.items():
            for parent_where, children in self._instances(resource, elements, key, where):
                self._cardinality(f"{parent_where} {key}", len(children), definition)
                for child in children:
                    types = definition.get("type", [])
                    type_ = types[0] if len(types) == 1 else None
                    if type_ is None:
                        self.error(where, f"{key}: cannot check a choice of types {types}")
                        continue
                    self._check_element_value(child, type_, definition, f"{parent_where} {key}")
        self._invariants(profile.get("constraints", []), resource, where)

    def _instances(
        self, resource: dict[str, Any], elements: dict[str, dict[str, Any]], key: str, where: str
    ) -> list[tuple[str, list[Any]]]:
        """For each instance of the element's parent: the element's values in it (slice members only)."""
        segments = key.split(".")
        parents: list[tuple[str, Any]] = [(where, resource)]
        prefix = segments[0]
        pairs: list[tuple[str, list[Any]]] = []
        for segment in segments[1:]:
            name, _, slice_name = segment.partition(":")
            unsliced = f"{prefix}.{name}"
            pairs = []
            for parent_where, parent in parents:
                children = _as_list(parent.get(name)) if isinstance(parent, dict) else []
                if slice_name:
                    children = [c for c in children if self._in_slice(elements, unsliced, slice_name, c)]
                pairs.append((parent_where, children))
            prefix = f"{prefix}.{segment}"
            parents = [(f"{w}.{segment}", c) for w, children in pairs for c in children]
        return pairs

    @staticmethod
    def _in_slice(elements: dict[str, dict[str, Any]], unsliced: str, slice_name: str, value: Any) -> bool:
        slicing = elements[unsliced]["slicing"]
        for discriminator in slicing["discriminator"]:
            if discriminator["type"] not in ("value", "pattern"):
                raise NotImplementedError(f"{unsliced}: discriminator {discriminator['type']}")
            path = discriminator["path"]
            definition = elements[f"{unsliced}:{slice_name}.{path}"]
            (expected,) = [*definition.get("fixed", {}).values(), *definition.get("pattern", {}).values()]
            if not isinstance(value, dict) or not _matches_pattern(value.get(path), expected):
                return False
        return True


def check(bundle: dict[str, Any]) -> Report:
    return Checker(bundle).run()


# --- the output -----------------------------------------------------------------------------------------


def vignette_bundle(path: Path) -> dict[str, Any]:
    resources = [entry["resource"] for entry in json.loads(path.read_text())["entry"]]
    evaluation = evaluate(resources, AS_OF)
    assert evaluation is not None
    return evaluation.bundle


def sample_bundle(name: str) -> dict[str, Any]:
    return decision_bundle(samples.ALL[name](), samples.NOW)


def test_there_are_vignettes() -> None:
    assert len(VIGNETTES) >= 12


@pytest.mark.parametrize("path", VIGNETTES, ids=lambda p: p.stem)
def test_every_vignette_output_conforms(path: Path) -> None:
    report = check(vignette_bundle(path))
    assert report.errors == []


@pytest.mark.parametrize("name", sorted(samples.ALL))
def test_every_hand_built_output_conforms(name: str) -> None:
    report = check(sample_bundle(name))
    assert report.errors == []


def test_the_checks_are_not_vacuous() -> None:
    """Over all vignettes: each IG extension and the volume profile was checked, and SBRT was among them."""
    checked_extensions: set[str] = set()
    checked_profiles: set[str] = set()
    techniques: list[Any] = []
    for path in VIGNETTES:
        bundle = vignette_bundle(path)
        report = check(bundle)
        checked_extensions |= report.checked_extensions
        checked_profiles |= report.checked_profiles
        for entry in bundle["entry"]:
            for extension in entry["resource"].get("extension", []):
                if extension["url"] == MODALITY_AND_TECHNIQUE:
                    techniques += [e["valueCodeableConcept"] for e in extension["extension"] if e["url"] == TECHNIQUE]
    assert checked_extensions == set(CONSTRAINTS["extensions"])
    assert set(CONSTRAINTS["profiles"]) <= checked_profiles
    assert any("UNC" in {c["code"] for c in t["coding"]} for t in techniques)  # an SBRT option was checked


def test_value_sets_expand_to_the_derived_enumerations() -> None:
    for url, value_set in CONSTRAINTS["valueSets"].items():
        if "enumeratedCodes_derived" in value_set:
            derived = {(c["system"], c["code"]) for c in value_set["enumeratedCodes_derived"]}
            assert expand(url).codes == derived, url


@pytest.mark.parametrize(
    ("expression", "resource", "expected"),
    [
        ("description.exists() or identifier.exists()", {"identifier": [{"value": "x"}]}, True),
        ("description.exists() or identifier.exists()", {}, False),
        ("a.where(b = 'x').exists() implies c.exists()", {"a": [{"b": "y"}]}, True),
        ("a.where(b = 'x').exists() implies c.exists()", {"a": [{"b": "x"}]}, False),
        ("a.value.coding.exists(code = 'U' and system = 's')", {"a": {"valueX": {"coding": [{"code": "U"}]}}}, False),
        ("(a.exists() and b.exists()) or c = 'z'", {"c": "z"}, True),
    ],
)
def test_the_fhirpath_subset(expression: str, resource: Any, expected: bool) -> None:
    assert fhirpath_holds(expression, resource) is expected


def test_an_invariant_outside_the_subset_is_an_error_not_a_pass() -> None:
    checker = Checker({"entry": []})
    checker._invariants([{"key": "k", "severity": "error", "human": "h", "expression": "a.count() > 1"}], {}, "x")
    (error,) = checker.report.errors
    assert "cannot be evaluated" in error


# --- deliberately broken output ---------------------------------------------------------------------------


def _sbrt_bundle() -> dict[str, Any]:
    return sample_bundle("painful_spine")


def _sbrt_request(bundle: dict[str, Any]) -> dict[str, Any]:
    for entry in bundle["entry"]:
        resource = entry["resource"]
        for extension in resource.get("extension", []):
            if extension["url"] == MODALITY_AND_TECHNIQUE and len(extension["extension"]) == 3:
                return resource
    raise AssertionError("no SBRT option")


def _extension(resource: dict[str, Any], url: str) -> dict[str, Any]:
    return next(e for e in resource["extension"] if e["url"] == url)


def _volume(bundle: dict[str, Any]) -> dict[str, Any]:
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "BodyStructure")


def _only_local_technique(bundle: dict[str, Any]) -> None:
    technique = _extension(_sbrt_request(bundle), MODALITY_AND_TECHNIQUE)["extension"][2]["valueCodeableConcept"]
    technique["coding"] = [c for c in technique["coding"] if c["code"] == "sbrt"]


def _no_volume(bundle: dict[str, Any]) -> None:
    dose = _extension(_sbrt_request(bundle), DOSE)
    dose["extension"] = [e for e in dose["extension"] if e["url"] != "volume"]


def _unc_without_text(bundle: dict[str, Any]) -> None:
    technique = _extension(_sbrt_request(bundle), MODALITY_AND_TECHNIQUE)["extension"][2]["valueCodeableConcept"]
    del technique["text"]


def _dose_in_gy(bundle: dict[str, Any]) -> None:
    total = next(e for e in _extension(_sbrt_request(bundle), DOSE)["extension"] if e["url"] == "totalDose")
    total["valueQuantity"] = {"value": 24, "unit": "Gy", "system": "http://unitsofmeasure.org", "code": "Gy"}


def _fractions_as_integer(bundle: dict[str, Any]) -> None:
    fractions = next(e for e in _extension(_sbrt_request(bundle), DOSE)["extension"] if e["url"] == "fractions")
    fractions["valueInteger"] = fractions.pop("valuePositiveInt")


def _relative_technique_url(bundle: dict[str, Any]) -> None:
    _extension(_sbrt_request(bundle), MODALITY_AND_TECHNIQUE)["extension"][1]["url"] = "technique"


def _two_modalities(bundle: dict[str, Any]) -> None:
    parts = _extension(_sbrt_request(bundle), MODALITY_AND_TECHNIQUE)["extension"]
    parts.insert(0, copy.deepcopy(parts[0]))


def _volume_as_string(bundle: dict[str, Any]) -> None:
    volume = next(e for e in _extension(_sbrt_request(bundle), DOSE)["extension"] if e["url"] == "volume")
    volume["valueString"] = volume.pop("valueReference")["reference"]


def _volume_to_another_resource(bundle: dict[str, Any]) -> None:
    volume = next(e for e in _extension(_sbrt_request(bundle), DOSE)["extension"] if e["url"] == "volume")
    volume["valueReference"] = {"reference": f"RequestGroup/{bundle['entry'][1]['resource']['id']}"}


def _second_official_identifier(bundle: dict[str, Any]) -> None:
    _volume(bundle)["identifier"].append({"use": "official", "system": "urn:oid:1.2.3", "value": "x"})


def _no_display_name(bundle: dict[str, Any]) -> None:
    volume = _volume(bundle)
    volume["identifier"] = [i for i in volume["identifier"] if i["use"] != "usual"]


def _no_patient(bundle: dict[str, Any]) -> None:
    del _volume(bundle)["patient"]


def _two_morphologies(bundle: dict[str, Any]) -> None:
    volume = _volume(bundle)
    volume["morphology"] = [volume["morphology"], volume["morphology"]]


def _unknown_ig_profile(bundle: dict[str, Any]) -> None:
    _volume(bundle)["meta"]["profile"].append("http://hl7.org/fhir/us/mcode/StructureDefinition/mcode-tumor")


BROKEN: dict[str, tuple[Callable[[dict[str, Any]], None], str]] = {
    "technique-only-local-code": (_only_local_technique, "mcode-radiotherapy-technique-vs (required)"),
    "dose-without-volume": (_no_volume, "extension:volume: 0 present, cardinality 1..1"),
    "unc-without-text": (_unc_without_text, "invariant TechniqueTextRequiredForOther fails"),
    "total-dose-in-gy": (_dose_in_gy, "does not match patternQuantity"),
    "fractions-as-integer": (_fractions_as_integer, "valueInteger is not an allowed type"),
    "relative-technique-url": (_relative_technique_url, "sub-extension 'technique' is not defined"),
    "two-modalities": (_two_modalities, "extension:modality: 2 present, cardinality 1..1"),
    "volume-value-string": (_volume_as_string, "valueString is not an allowed type"),
    "volume-not-a-body-structure": (
        _volume_to_another_resource,
        "a RequestGroup cannot conform",
    ),
    "second-official-identifier": (_second_official_identifier, "identifier:dicomUid: 2 present, cardinality 1..1"),
    "no-display-name": (_no_display_name, "identifier:displayName: 0 present, cardinality 1..1"),
    "no-patient": (_no_patient, "BodyStructure.patient: 0 present, cardinality 1..1"),
    "two-morphologies": (_two_morphologies, "BodyStructure.morphology: 2 present, cardinality 0..1"),
    "claims-an-unknown-ig-profile": (_unknown_ig_profile, "which constraints.json does not define"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_the_checker_reports_broken_output(name: str) -> None:
    bundle = _sbrt_bundle()
    assert check(bundle).errors == []
    breaks, expected = BROKEN[name]
    breaks(bundle)
    errors = check(bundle).errors
    assert any(expected in error for error in errors), errors


def test_a_technique_with_only_the_local_sbrt_code_is_named_with_its_place() -> None:
    """The reviewer's finding: the pre-fix SBRT technique (local code alone) breaks the required binding."""
    bundle = _sbrt_bundle()
    _only_local_technique(bundle)
    (error,) = check(bundle).errors
    assert "extension:technique.valueCodeableConcept" in error
    assert "https://bonemet.example/fhir/CodeSystem/rt-technique" in error


def test_an_extensible_binding_outside_its_value_set_is_a_warning() -> None:
    bundle = _sbrt_bundle()
    _volume(bundle)["location"] = {"coding": [{"system": "http://snomed.info/sct", "code": "272673000"}]}
    report = check(bundle)
    assert report.errors == []
    assert any("mcode-radiotherapy-treatment-location-vs (extensible)" in w for w in report.warnings)
