"""Bundles: transaction, batch and the entries of a notification, checked and turned into operations (pure).

- transaction: all or nothing; a failing entry fails the Bundle, whose OperationOutcome names every
  failing entry;
  ``urn:uuid:`` fullUrls are resolved to ``Type/id`` in every reference; operations are ordered
  DELETE, then POST, then PUT (FHIR R4 http.html); two entries for one resource are an error.
- batch: entries are independent; each failure is reported at its entry and the others go on.
- entries of FHIR types bonemet does not read (Encounter, Claim, Immunization in a whole-patient
  Bundle) are, with ``OtherTypes`` ``ignore``, not kept and answered so at their entry (``not_kept``);
  with ``reject`` they are failures like any other.
- a ``urn:uuid:`` subject must resolve to an entry of the same transaction: anywhere else it would
  make a second, unnamed patient (422).
- notification entries (after the status entry): a resource is an upsert, a ``DELETE`` request
  without a resource a retraction; an id-only entry names a resource for the puller to fetch.

The Bundle itself is validated as a *shell* (entries without their resources) and each resource
by its own model, so every resource is validated exactly once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, Literal

import orjson
from fhir.resources.R4B import get_fhir_model_class

from bonemet_intake.notifications import named_resource
from bonemet_shared.acceptance.outcomes import IntakeError, Issue, rebase
from bonemet_shared.acceptance.planning import Delete, Operation, Upsert
from bonemet_shared.acceptance.records import EntryFailure
from bonemet_shared.acceptance.validation import (
    SUPPORTED_TYPES,
    ValidResource,
    check_model,
    not_supported,
    patient_reference,
    resource_type_of,
    valid_id,
    validate_resource,
)

BundleKind = Literal["transaction", "batch", "notification"]
OtherTypes = Literal["ignore", "reject"]
METHOD_ORDER = {"DELETE": 0, "POST": 1, "PUT": 2}


@dataclass(frozen=True)
class EntryOperation:
    index: int
    operation: Operation


@dataclass(frozen=True)
class BundlePlan:
    kind: BundleKind
    entries: int
    operations: tuple[EntryOperation, ...]
    """In processing order (for a transaction: DELETE, POST, PUT)."""
    failures: tuple[EntryFailure, ...]
    skipped: tuple[int, ...] = ()
    """Entry indexes not processed on purpose (the notification status entry)."""
    fetches: tuple[str, ...] = ()
    """Notification entries that only name a resource (id-only): ``Type/id[/_history/vid]`` to fetch."""
    not_kept: tuple[tuple[int, str], ...] = ()
    """(entry index, resource type) of entries of other FHIR types, not kept (``OtherTypes`` ``ignore``)."""


def check_shell(bundle: Any, max_entries: int) -> dict[str, Any]:
    """The Bundle, once its shape is known good: resourceType, entry cap (413), model of the shell."""
    if resource_type_of(bundle) != "Bundle":
        raise IntakeError(
            400, Issue("invalid", "POST to the base URL takes a Bundle (transaction, batch or a notification).")
        )
    entries = bundle.get("entry")
    if entries is not None and not isinstance(entries, list):
        raise IntakeError(400, Issue("structure", "Bundle.entry must be an array.", ("Bundle.entry",)))
    if entries is not None and len(entries) > max_entries:
        raise IntakeError(
            413, Issue("too-costly", f"More than {max_entries} entries in one Bundle.", ("Bundle.entry",))
        )
    # The shell without its resources (each is validated once, by its own model) and without its
    # own id: a transaction or batch Bundle is an envelope that is never stored, and real senders
    # put ids that are not FHIR ids there (the public mCODE Bundles do).
    shell = {k: v for k, v in bundle.items() if k != "id"}
    if entries:
        # Entries differ mostly in request.url and fullUrl, whose only check is the uri rule (a JSON
        # string without whitespace): with those standing in for by one valid value, a 100-entry
        # batch has a handful of distinct entry shells, and the Bundle is valid exactly when the one
        # with only those is. When it is not, the whole shell is validated so that every issue
        # names its own entry, as before.
        shells = [_without_resource(e) for e in entries]
        shell["entry"] = _distinct(shells)
        try:
            check_model(shell, "Bundle")
        except IntakeError:
            shell["entry"] = shells
            check_model(shell, "Bundle")
    else:
        check_model(shell, "Bundle")
    for index, entry in enumerate(entries or []):
        if "resource" in entry and not isinstance(entry["resource"], dict):
            raise IntakeError(
                400, Issue("structure", "entry.resource must be an object.", (f"Bundle.entry[{index}].resource",))
            )
    return dict(bundle)


def plan_transaction(bundle: dict[str, Any], other_types: OtherTypes = "reject") -> BundlePlan:
    """All entries or none: any failure raises IntakeError (the first one's status, every entry's issues)."""
    entries: list[dict[str, Any]] = bundle.get("entry") or []
    operations: list[EntryOperation] = []
    failures: list[IntakeError] = []
    not_kept: list[tuple[int, str]] = []
    urls: dict[str, str] = {}
    for index, entry in enumerate(entries):
        if (other := _other_type(entry, other_types)) is not None:
            not_kept.append((index, other))
            continue
        try:
            operation = _request_operation(entry, index)
        except IntakeError as exc:
            failures.append(exc)
            continue
        if isinstance(operation, Upsert) and isinstance(entry.get("fullUrl"), str):
            urls[entry["fullUrl"]] = operation.resource.reference
        operations.append(EntryOperation(index, operation))
    failures += _duplicates(operations)
    if urls:
        operations = [_resolved(item, urls) for item in operations]
    failures += [unresolved for item in operations if (unresolved := _unresolved_subject(item)) is not None]
    if failures:
        raise IntakeError(failures[0].status, *(issue for failure in failures for issue in failure.issues))
    operations.sort(key=lambda item: METHOD_ORDER[_method(item.operation)])
    return BundlePlan("transaction", len(entries), tuple(operations), (), not_kept=tuple(not_kept))


def plan_batch(bundle: dict[str, Any], other_types: OtherTypes = "reject") -> BundlePlan:
    entries: list[dict[str, Any]] = bundle.get("entry") or []
    operations: list[EntryOperation] = []
    failures: list[EntryFailure] = []
    not_kept: list[tuple[int, str]] = []
    for index, entry in enumerate(entries):
        if (other := _other_type(entry, other_types)) is not None:
            not_kept.append((index, other))
            continue
        try:
            item = EntryOperation(index, _request_operation(entry, index))
            if (unresolved := _unresolved_subject(item)) is not None:
                raise unresolved
            operations.append(item)
        except IntakeError as exc:
            failures.append(EntryFailure(index, exc.status, exc.issues))
    return BundlePlan("batch", len(entries), tuple(operations), tuple(failures), not_kept=tuple(not_kept))


def refuse_unresolved_subject(resource: ValidResource) -> None:
    """422 when the patient is a ``urn:uuid:`` reference (outside a transaction that resolves it)."""
    if resource.patient.startswith("urn:uuid:"):
        element = "id" if resource.resource_type == "Patient" else "subject"
        raise IntakeError(422, _unresolved_issue(f"{resource.resource_type}.{element}"))


def _unresolved_issue(where: str) -> Issue:
    return Issue(
        "invalid",
        "The subject is a urn:uuid: reference that no entry of a transaction resolves: it would make a second "
        "patient. Reference the Patient (Patient/id), or send it in the same transaction with that fullUrl.",
        (where,),
    )


def _unresolved_subject(item: EntryOperation) -> IntakeError | None:
    operation = item.operation
    if isinstance(operation, Upsert) and operation.resource.patient.startswith("urn:uuid:"):
        return IntakeError(422, _unresolved_issue(_entry(item.index) + ".resource.subject"))
    return None


def _duplicates(operations: list[EntryOperation]) -> list[IntakeError]:
    identities: set[str] = set()
    found = []
    for item in operations:
        operation = item.operation
        reference = operation.reference if isinstance(operation, Delete) else operation.resource.reference
        if reference in identities:
            issue = Issue("invalid", "Two entries of this transaction are for the same resource.", _at(item.index))
            found.append(IntakeError(400, issue))
        identities.add(reference)
    return found


def _other_type(entry: Any, other_types: OtherTypes) -> str | None:
    """The entry's resource type when it is a FHIR type bonemet does not read and such entries are not kept."""
    if other_types != "ignore" or not isinstance(entry, dict):
        return None
    resource, request = entry.get("resource"), entry.get("request")
    if isinstance(resource, dict):
        name = resource.get("resourceType")
    elif isinstance(request, dict) and isinstance(request.get("url"), str):
        name = request["url"].strip("/").split("/")[0].split("?")[0]
    else:
        return None
    return name if isinstance(name, str) and name not in SUPPORTED_TYPES and is_fhir_type(name) else None


@lru_cache(maxsize=1024)  # bounded: the names come from clients
def is_fhir_type(name: str) -> bool:
    if not _TYPE_NAME.fullmatch(name) or name in {"Bundle", "Parameters"}:
        return False
    try:
        get_fhir_model_class(name)
    except (KeyError, ValueError, AttributeError, ImportError):
        return False
    return True


_TYPE_NAME = re.compile(r"[A-Z][A-Za-z]{1,63}")


def plan_notification(bundle: dict[str, Any]) -> BundlePlan:
    """Entries after the status entry: resources to ingest, deletions, or id-only references (to fetch)."""
    entries: list[dict[str, Any]] = bundle.get("entry") or []
    operations: list[EntryOperation] = []
    failures: list[EntryFailure] = []
    fetches: list[str] = []
    for index, entry in enumerate(entries[1:], start=1):
        try:
            operation = _notification_operation(entry, index)
        except IntakeError as exc:
            failures.append(EntryFailure(index, exc.status, exc.issues))
            continue
        if isinstance(operation, str):
            fetches.append(operation)
        else:
            operations.append(EntryOperation(index, operation))
    return BundlePlan(
        "notification", len(entries), tuple(operations), tuple(failures), skipped=(0,), fetches=tuple(fetches)
    )


def _request_operation(entry: dict[str, Any], index: int) -> Operation:
    request = entry.get("request")
    if not isinstance(request, dict) or not request.get("method") or not request.get("url"):
        raise IntakeError(
            400, Issue("required", "Each entry needs request.method and request.url.", _at(index, "request"))
        )
    method, url = request["method"], request["url"]
    target = _parse_url(url, index)
    resource = entry.get("resource")
    if method in {"POST", "PUT"}:
        if resource is None:
            raise IntakeError(400, Issue("required", f"A {method} entry needs a resource.", _at(index, "resource")))
        if method == "POST" and target[1] is not None:
            raise IntakeError(400, Issue("invalid", "POST takes request.url = Type.", _at(index, "request.url")))
        if method == "PUT" and target[1] is None:
            raise IntakeError(400, Issue("invalid", "PUT takes request.url = Type/id.", _at(index, "request.url")))
        return Upsert(_validated(resource, index, target[0], target[1]), method)
    if method == "DELETE":
        resource_type, resource_id = target
        if resource_id is None:
            raise IntakeError(
                400, Issue("not-supported", "Conditional DELETE is not supported.", _at(index, "request.url"))
            )
        if resource_type not in SUPPORTED_TYPES:
            raise IntakeError(404, *rebase([not_supported(resource_type)], _entry(index)))
        return Delete(resource_type, resource_id)
    raise IntakeError(
        405, Issue("not-supported", "Entries may only POST, PUT or DELETE here.", _at(index, "request.method"))
    )


def _notification_operation(entry: dict[str, Any], index: int) -> Operation | str:
    """An upsert, a retraction, or (an id-only entry) the reference of the resource to fetch."""
    resource = entry.get("resource")
    request: dict[str, Any] = entry["request"] if isinstance(entry.get("request"), dict) else {}
    if resource is not None:
        return Upsert(_validated(resource, index, None, None), "PUT")
    if request.get("method") == "DELETE" and request.get("url"):
        resource_type, resource_id = _parse_url(request["url"], index)
        if resource_id is None:
            raise IntakeError(400, Issue("invalid", "A DELETE entry needs request.url = Type/id.", _at(index)))
        if resource_type not in SUPPORTED_TYPES:
            raise IntakeError(404, *rebase([not_supported(resource_type)], _entry(index)))
        return Delete(resource_type, resource_id)
    named = named_resource(entry.get("fullUrl") or request.get("url"))
    if named is not None:
        if named[0] not in SUPPORTED_TYPES:
            raise IntakeError(404, *rebase([not_supported(named[0])], _entry(index)))
        return named[1]
    raise IntakeError(
        422,
        Issue("required", "An entry without a resource must name one of a supported type (fullUrl).", _at(index)),
    )


def _validated(resource: Any, index: int, resource_type: str | None, resource_id: str | None) -> ValidResource:
    try:
        return validate_resource(resource, resource_type, expected_id=resource_id)
    except IntakeError as exc:
        kind = resource.get("resourceType") if isinstance(resource, dict) else None
        raise IntakeError(
            exc.status, *rebase(exc.issues, _entry(index) + ".resource", kind if isinstance(kind, str) else None)
        ) from None


def _parse_url(url: Any, index: int) -> tuple[str, str | None]:
    """``Type`` or ``Type/id`` (relative; conditional forms with '?' are not supported)."""
    if not isinstance(url, str) or "?" in url or "://" in url or len(url) > 200:
        raise IntakeError(
            400,
            Issue("not-supported", "request.url must be a relative Type or Type/id.", _at(index, "request.url")),
        )
    parts = url.strip("/").split("/")
    resource_type = parts[0]
    if not resource_type[:1].isupper() or not resource_type.isalpha() or len(parts) > 2:
        raise IntakeError(400, Issue("invalid", "request.url must be Type or Type/id.", _at(index, "request.url")))
    if len(parts) == 2:
        if not valid_id(parts[1]):
            raise IntakeError(400, Issue("invalid", "request.url has an invalid id.", _at(index, "request.url")))
        return resource_type, parts[1]
    return resource_type, None


def _resolved(item: EntryOperation, urls: dict[str, str]) -> EntryOperation:
    operation = item.operation
    if not isinstance(operation, Upsert):
        return item
    body, changed = _rewrite(operation.resource.body, urls)
    if not changed:
        return item
    # The id is written into the body, so it stays the one other entries were resolved to.
    resource_id = operation.resource.effective_id
    body = {**body, "id": resource_id}
    patient = patient_reference(body) or operation.resource.patient
    resource = replace(operation.resource, body=body, resource_id=resource_id, patient=patient)
    return EntryOperation(item.index, Upsert(resource, operation.method))


def _rewrite(value: Any, urls: dict[str, str]) -> tuple[Any, bool]:
    """Replace every ``reference`` naming a fullUrl of this transaction with the resolved Type/id."""
    if isinstance(value, dict):
        changed = False
        out: dict[str, Any] = {}
        for key, item in value.items():
            if key == "reference" and isinstance(item, str) and item in urls:
                out[key], changed = urls[item], True
            elif isinstance(item, dict | list):
                out[key], sub = _rewrite(item, urls)
                changed = changed or sub
            else:
                out[key] = item
        return (out, True) if changed else (value, False)
    if isinstance(value, list):
        results = [_rewrite(item, urls) if isinstance(item, dict | list) else (item, False) for item in value]
        if any(sub for _, sub in results):
            return [item for item, _ in results], True
        return value, False
    return value, False


def _method(operation: Operation) -> str:
    return "DELETE" if isinstance(operation, Delete) else operation.method


def _entry(index: int) -> str:
    return f"Bundle.entry[{index}]"


def _at(index: int, element: str | None = None) -> tuple[str, ...]:
    return (_entry(index) + (f".{element}" if element else ""),)


def _without_resource(entry: Any) -> Any:
    return {k: v for k, v in entry.items() if k != "resource"} if isinstance(entry, dict) else entry


_URI = re.compile(r"\S*")
"""FHIR uri (fhir_core ``Uri``: ``\\S*``); a value that matches it whole is valid under any reading of that rule."""


def _distinct(shells: list[Any]) -> list[Any]:
    """The distinct entry shells once valid uri values of ``fullUrl`` and ``request.url`` are replaced
    by one valid stand-in (other values, and invalid ones, are kept as they are)."""
    distinct: dict[bytes, Any] = {}
    for shell in shells:
        if isinstance(shell, dict):
            full_url, request = shell.get("fullUrl"), shell.get("request")
            if isinstance(full_url, str) and _URI.fullmatch(full_url):
                shell = {**shell, "fullUrl": "urn:x"}
            if isinstance(request, dict) and isinstance(request.get("url"), str) and _URI.fullmatch(request["url"]):
                shell = {**shell, "request": {**request, "url": "X"}}
        distinct.setdefault(orjson.dumps(shell), shell)
    return list(distinct.values())
