"""Who is reading the trail: reviewer tokens (``BONEMET_AUDIT_REVIEWER_TOKENS``) or the trusted proxy header
(``BONEMET_AUDIT_TRUSTED_HEADER``), checked by ``bonemet_shared.credentials``."""

from __future__ import annotations

from bonemet_shared.credentials import ConfigurationError, Identity, authenticate, parse_principals
from bonemet_shared.credentials import Principals as Reviewers

__all__ = ["ConfigurationError", "Identity", "Reviewers", "authenticate", "parse_reviewers"]


def parse_reviewers(spec: str | None, trusted_header: str | None = None) -> Reviewers:
    """``reviewer-id:token[,reviewer-id:token...]`` (BONEMET_AUDIT_REVIEWER_TOKENS)."""
    return parse_principals(spec, trusted_header, "BONEMET_AUDIT_REVIEWER_TOKENS", "reviewer")
