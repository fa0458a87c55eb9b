"""Parse and validate FHIR R4 resources (pure: bytes or parsed JSON in, a validated resource or an IntakeError out).

R4 payloads are validated with the ``fhir.resources.R4B`` models (the package has no pure R4), most of them
through a compiled screen that gives the models' verdict at a fraction of their cost (screening.py).
Each resource is validated exactly once, by its own model; Bundles are checked as a shell
(without their entries' resources) so no resource is validated twice.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import re
import sys
import types
import typing
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

import orjson
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from bonemet_shared.acceptance.outcomes import IntakeError, Issue
from bonemet_shared.acceptance.screening import screen_for

SUPPORTED_TYPES: frozenset[str] = frozenset(
    {"Condition", "Observation", "MedicationStatement", "MedicationRequest", "Procedure", "Patient"}
)
"""A1 (docs/clinical-rules.md §4): the recommender's inputs. Other types are refused with 'not-supported'.

MedicationRequest is accepted like MedicationStatement (its ``subject`` names the patient): mCODE
records cancer-related medications only as MedicationRequest, and Synthea exports no MedicationStatement.
"""

MAX_JSON_DEPTH = 64
MAX_ISSUES = 20
FHIR_ID = re.compile(r"[A-Za-z0-9\-.]{1,64}")
_ELEMENT = re.compile(r"_?[A-Za-z][A-Za-z0-9_]*")


@dataclass(frozen=True)
class ValidResource:
    resource_type: str
    resource_id: str | None
    """The source's id; None for a create without one (``effective_id`` then derives one)."""
    version_id: str | None
    last_updated: str | None
    patient: str
    body: dict[str, Any] = field(repr=False)

    @cached_property
    def body_hash(self) -> str:
        return content_hash(self.body)

    @property
    def effective_id(self) -> str:
        """The id downstream sees: the source's, or one derived from the content (a retried POST keeps it)."""
        return self.resource_id or self.body_hash[:32]

    @property
    def reference(self) -> str:
        return f"{self.resource_type}/{self.effective_id}"

    @property
    def versioned_reference(self) -> str:
        suffix = f"/_history/{self.version_id}" if self.version_id else ""
        return self.reference + suffix


def content_hash(body: dict[str, Any]) -> str:
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def parse_json(raw: bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    if not raw.strip():
        raise IntakeError(400, Issue("required", "The body is empty; a FHIR resource is expected."))
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        # orjson also refuses nesting beyond 1024 levels and invalid UTF-8 here.
        raise IntakeError(400, Issue("structure", "The body is not valid JSON (UTF-8).")) from None
    if exceeds_depth(parsed, max_depth):
        raise IntakeError(400, Issue("too-costly", f"JSON nesting deeper than {max_depth} levels."))
    return parsed


def exceeds_depth(value: Any, max_depth: int) -> bool:
    """True when containers nest deeper than ``max_depth`` (the outermost container is level 1)."""
    if max_depth < 1:
        return True
    if not isinstance(value, dict | list):
        return False
    if max_depth <= _RECURSIVE_DEPTH:
        return _deeper(value, max_depth - 1)
    return _exceeds_depth_iteratively(value, max_depth)


_RECURSIVE_DEPTH = 256
"""Up to this limit the check recurses (about twice as fast); above it, it walks with its own stack."""


def _deeper(container: dict[str, Any] | list[Any], allowed: int) -> bool:
    """True when a container inside ``container`` nests more than ``allowed`` levels below it."""
    for child in container.values() if isinstance(container, dict) else container:
        if isinstance(child, dict | list) and (allowed == 0 or _deeper(child, allowed - 1)):
            return True
    return False


def _exceeds_depth_iteratively(value: Any, max_depth: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        current, depth = stack.pop()
        if depth > max_depth:
            return True
        if isinstance(current, dict):
            stack.extend((v, depth + 1) for v in current.values() if isinstance(v, dict | list))
        elif isinstance(current, list):
            stack.extend((v, depth + 1) for v in current if isinstance(v, dict | list))
    return False


def resource_type_of(body: Any) -> str:
    if not isinstance(body, dict) or not isinstance(body.get("resourceType"), str):
        raise IntakeError(
            400, Issue("structure", "The body is not a FHIR resource (no resourceType).", ("resourceType",))
        )
    return str(body["resourceType"])


def check_model(body: dict[str, Any], resource_type: str) -> None:
    """Validate ``body`` with its R4B model; IntakeError(400) with element paths when it fails.

    The compiled screen vouches for most valid payloads at a fraction of the models' cost; whatever it
    does not pass, the models decide, so verdicts and error paths are theirs (docs/decisions/0013).
    """
    screen = screen_for(resource_type) if resource_type in _SCREENED_TYPES else None
    if screen is None or not screen.passes(body):
        _check_with_model(body, resource_type)
    _check_json_types(body, resource_type)


def check_model_reference(body: dict[str, Any], resource_type: str) -> None:
    """``check_model`` with the R4B models alone: the reference the screen is proven against."""
    _check_with_model(body, resource_type)
    _check_json_types(body, resource_type)


_SCREENED_TYPES = SUPPORTED_TYPES | {"Bundle", "Parameters", "SubscriptionStatus"}
"""What the intake validates; the differential test covers exactly these."""


def prepare_screens() -> None:
    """Compile every screen now (a few tenths of a second each) rather than on the first request of a type."""
    for resource_type in sorted(_SCREENED_TYPES):
        screen_for(resource_type)


def _check_with_model(body: dict[str, Any], resource_type: str) -> None:
    model = _model(resource_type)
    try:
        model.model_validate(body)
    except ValidationError as exc:
        raise IntakeError(400, *model_issues(resource_type, exc)) from None
    except (TypeError, ValueError, RecursionError):
        # Defensive: a model validator that raises something other than ValidationError.
        raise IntakeError(400, Issue("invalid", f"The {resource_type} does not validate.")) from None


def _check_json_types(body: dict[str, Any], resource_type: str) -> None:
    model = _model(resource_type)
    if not _json_types_checked(body, model):
        issues = json_type_issues(body, model, resource_type)
        if issues:
            raise IntakeError(400, *issues)


def _model(resource_type: str) -> Any:
    try:
        return get_fhir_model_class(resource_type)
    except (KeyError, ValueError, AttributeError, ImportError):
        raise IntakeError(404, not_supported(resource_type)) from None


# --- FHIR JSON primitive representation ----------------------------------------------------------
# The models coerce some JSON types FHIR JSON forbids (a number for a dateTime: 2025 -> a date).
# FHIR JSON writes every primitive as a string except integer/decimal kinds (numbers) and boolean,
# so one walk over the body, guided by the models' field types, refuses the rest.

_NUMBER_TYPES: tuple[type, ...] = (int, decimal.Decimal, float)
_STRING_TYPES: tuple[type, ...] = (str, dt.datetime, dt.date, dt.time, bytes)


@cache
def _shape(model: type) -> dict[str, tuple[str, type | None]]:
    """JSON key -> (expected JSON kind, model of the nested object) for one model class."""
    shape: dict[str, tuple[str, type | None]] = {}
    for name, info in getattr(model, "model_fields", {}).items():
        key = info.alias or name
        if key.startswith("_") or name.endswith("__ext") or name == "fhir_comments" or key == "resourceType":
            continue
        kind = _kind(info.annotation, model)
        if kind is not None:
            shape[key] = kind
    return shape


def _kind(annotation: Any, owner: type) -> tuple[str, type | None] | None:
    while typing.get_origin(annotation) in (typing.Union, list, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) != 1:
            return None
        annotation = args[0]
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if annotation is bool:
        return ("boolean", None)
    if isinstance(annotation, type) and issubclass(annotation, _NUMBER_TYPES):
        return ("number", None)
    if isinstance(annotation, type) and issubclass(annotation, _STRING_TYPES):
        return ("string", None)
    name = getattr(annotation, "__name__", "")
    if name.endswith("Type") and name not in {"ResourceType", "FHIRPrimitiveExtensionType"}:
        return ("object", _model_named(name.removesuffix("Type"), owner))
    return None


def _model_named(name: str, owner: type) -> type | None:
    found = getattr(sys.modules.get(owner.__module__), name, None)
    if isinstance(found, type):
        return found
    try:
        return get_fhir_model_class(name)
    except (KeyError, ValueError, AttributeError, ImportError):
        return None


def json_types_valid(body: dict[str, Any], model: type) -> bool:
    """True when ``json_type_issues`` finds nothing: the same walk, without building an element path
    per value (only a failing body pays for the issues and their paths)."""
    shape = _shape(model)
    for key, value in body.items():
        expected = shape.get(key)
        if expected is None:
            continue
        kind, sub = expected
        for item in value if isinstance(value, list) else (value,):
            if item is None:
                continue
            if kind == "object":
                if isinstance(item, dict) and sub is not None and not json_types_valid(item, sub):
                    return False
            elif not _json_kind_matches(kind, item):
                return False
    return True


def _json_types_checked(body: dict[str, Any], model: type) -> bool:
    try:
        return json_types_valid(body, model)
    except RecursionError:  # nesting allowed past Python's limit: the iterative walk decides
        return False


def json_type_issues(body: dict[str, Any], model: type, resource_type: str) -> list[Issue]:
    issues: list[Issue] = []
    stack: list[tuple[dict[str, Any], type, str]] = [(body, model, resource_type)]
    while stack and len(issues) < MAX_ISSUES:
        node, node_model, path = stack.pop()
        shape = _shape(node_model)
        for key, value in node.items():
            expected = shape.get(key)
            if expected is None:
                continue
            kind, sub = expected
            items = value if isinstance(value, list) else [value]
            for index, item in enumerate(items):
                where = f"{path}.{key}" + (f"[{index}]" if isinstance(value, list) else "")
                if item is None:
                    continue
                if kind == "object":
                    if isinstance(item, dict) and sub is not None:
                        stack.append((item, sub, where))
                elif not _json_kind_matches(kind, item):
                    issues.append(Issue("invalid", f"Invalid element (must be a JSON {kind}).", (where,)))
    return issues


def _json_kind_matches(kind: str, item: Any) -> bool:
    if kind == "string":
        return isinstance(item, str)
    if kind == "boolean":
        return isinstance(item, bool)
    return isinstance(item, int | float) and not isinstance(item, bool)


def validate_resource(
    body: Any,
    expected_type: str | None = None,
    *,
    expected_id: str | None = None,
    require_id: bool = False,
) -> ValidResource:
    """Validate ``body`` (parsed JSON) as a supported FHIR R4 resource.

    ``expected_type`` is the type in the URL (a mismatch is 400; an unsupported type 404).
    ``expected_id`` is the id in an update URL: the body's id must equal it (FHIR update rules).
    """
    resource_type = resource_type_of(body)
    if expected_type is not None and resource_type != expected_type:
        raise IntakeError(
            400,
            Issue(
                "invalid",
                f"resourceType {_safe_type(resource_type)} does not match the type in the URL ({expected_type}).",
                ("resourceType",),
            ),
        )
    if resource_type not in SUPPORTED_TYPES:
        # Under its own URL an unsupported type is 'not found' (FHIR http.html); elsewhere a bad request.
        raise IntakeError(404 if expected_type else 400, not_supported(resource_type))
    check_model(body, resource_type)
    resource_id = body.get("id")
    if expected_id is not None and resource_id != expected_id:
        diagnostics = "The body has no id" if resource_id is None else "The body's id differs from the id in the URL"
        raise IntakeError(
            400, Issue("invalid", f"{diagnostics}; an update needs both equal.", (f"{resource_type}.id",))
        )
    if require_id and resource_id is None:
        raise IntakeError(400, Issue("required", "The resource has no id.", (f"{resource_type}.id",)))
    patient = patient_reference(body)
    if patient is None:
        element = "id" if resource_type == "Patient" else "subject"
        raise IntakeError(
            422,
            Issue(
                "required",
                f"{resource_type} names no patient (subject must reference a Patient).",
                (f"{resource_type}.{element}",),
            ),
        )
    meta = body.get("meta") or {}
    return ValidResource(
        resource_type=resource_type,
        resource_id=resource_id,
        version_id=meta.get("versionId"),
        last_updated=meta.get("lastUpdated"),
        patient=patient,
        body=body,
    )


def patient_reference(body: dict[str, Any]) -> str | None:
    if body["resourceType"] == "Patient":
        return f"Patient/{body['id']}" if body.get("id") else None
    subject = body.get("subject") or body.get("patient") or {}
    reference = subject.get("reference") if isinstance(subject, dict) else None
    if isinstance(reference, str) and "Patient/" in reference:
        # Absolute references keep only Type/id, so the same patient has one key whatever the base URL.
        patient_id = reference.rsplit("Patient/", 1)[1].split("/", 1)[0]
        return f"Patient/{patient_id}" if FHIR_ID.fullmatch(patient_id) else None
    if isinstance(reference, str) and reference.startswith("urn:uuid:"):
        return reference
    return None


def valid_id(value: str) -> bool:
    return FHIR_ID.fullmatch(value) is not None


def not_supported(resource_type: str) -> Issue:
    supported = ", ".join(sorted(SUPPORTED_TYPES))
    return Issue("not-supported", f"This resource type is not accepted here; supported: {supported}.")


def model_issues(resource_type: str, exc: ValidationError) -> list[Issue]:
    """Only the location and the kind of error: pydantic's messages and inputs can quote submitted values."""
    issues = []
    for error in exc.errors(include_input=False, include_url=False)[:MAX_ISSUES]:
        path = _fhirpath(resource_type, error["loc"])
        kind = error["type"]
        issues.append(Issue(_issue_code(kind), f"Invalid element ({kind}).", (path,)))
    return issues or [Issue("invalid", f"The {resource_type} does not validate.")]


def _fhirpath(resource_type: str, loc: tuple[int | str, ...]) -> str:
    path = resource_type
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _ELEMENT.fullmatch(part):
            path += f".{part}"
        # Other parts are pydantic's union/function tags, not FHIR elements: left out.
    return path


def _issue_code(kind: str) -> str:
    return "required" if kind == "missing" else "invalid"


def _safe_type(resource_type: str) -> str:
    """A resource type is echoed only when it is a FHIR type (never arbitrary submitted text)."""
    if resource_type in SUPPORTED_TYPES or resource_type in {"Bundle", "Parameters", "SubscriptionStatus"}:
        return resource_type
    if re.fullmatch(r"[A-Z][A-Za-z]{1,63}", resource_type):
        try:
            get_fhir_model_class(resource_type)
        except (KeyError, ValueError, AttributeError, ImportError):
            return "(not a FHIR type)"
        return resource_type
    return "(not a FHIR type)"
