"""Content-Type, Content-Encoding and size rules, applied before any JSON parsing (pure)."""

from __future__ import annotations

import zlib

from bonemet_shared.acceptance.outcomes import IntakeError, Issue

ACCEPTED_MEDIA_TYPES = frozenset({"application/fhir+json", "application/json"})
ACCEPTED_FHIR_VERSIONS = frozenset({"4.0", "4.0.1", "4.3", "4.3.0", "5.0", "5.0.0"})
"""``fhirVersion`` media-type parameter values taken: R4 (our content), R4B and R5 (notification envelopes)."""
ACCEPTED_ENCODINGS = frozenset({"identity", "gzip", "x-gzip", "deflate"})
MAX_COMPRESSION_RATIO = 100
"""A gzip bomb expands 1000x or more; real FHIR JSON compresses 5-20x."""


def check_media_type(content_type: str | None) -> None:
    """415 unless the body is FHIR JSON (``application/fhir+json`` or ``application/json``, UTF-8)."""
    if not content_type:
        raise IntakeError(415, Issue("not-supported", "Content-Type is missing; send application/fhir+json."))
    media_type, *params = (part.strip() for part in content_type.split(";"))
    if media_type.lower() not in ACCEPTED_MEDIA_TYPES:
        raise IntakeError(415, Issue("not-supported", "Content-Type must be application/fhir+json (JSON only)."))
    for param in params:
        name, _, value = param.partition("=")
        name, value = name.strip().lower(), value.strip().strip('"').lower()
        if name == "charset" and value not in {"utf-8", "utf8"}:
            raise IntakeError(415, Issue("not-supported", "Only the UTF-8 charset is accepted."))
        if name == "fhirversion" and value not in ACCEPTED_FHIR_VERSIONS:
            raise IntakeError(415, Issue("not-supported", "fhirVersion must be 4.0 (R4); 4.3 and 5.0 envelopes pass."))


def check_encoding(content_encoding: str | None) -> str:
    """The one content coding of the body (``identity`` when none); 415 for anything else."""
    codings = [c.strip().lower() for c in (content_encoding or "identity").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"] or ["identity"]
    if len(codings) != 1 or codings[0] not in ACCEPTED_ENCODINGS:
        raise IntakeError(415, Issue("not-supported", "Content-Encoding must be identity, gzip or deflate (one of)."))
    return codings[0]


def declared_too_large(content_length: str | None, max_bytes: int) -> bool:
    return content_length is not None and content_length.strip().isdigit() and int(content_length) > max_bytes


def too_large(max_bytes: int) -> IntakeError:
    return IntakeError(413, Issue("too-costly", f"Body larger than {max_bytes} bytes."))


def decode(body: bytes, coding: str, max_bytes: int) -> bytes:
    """The body with its content coding removed, never inflating past ``max_bytes`` (bomb guard)."""
    if coding == "identity":
        return body
    limit = min(max_bytes, max(len(body), 1) * MAX_COMPRESSION_RATIO)
    wbits = 16 + zlib.MAX_WBITS if coding in {"gzip", "x-gzip"} else zlib.MAX_WBITS
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(body, limit + 1)
        if len(out) <= limit:
            out += inflater.flush()
    except zlib.error:
        raise IntakeError(400, Issue("structure", f"The body is not valid {coding} data.")) from None
    if len(out) > limit:
        if limit == max_bytes:
            raise too_large(max_bytes)
        raise IntakeError(413, Issue("too-costly", f"Compressed body expands more than {MAX_COMPRESSION_RATIO}x."))
    if not inflater.eof:
        raise IntakeError(400, Issue("structure", f"The {coding} body is truncated."))
    return out
