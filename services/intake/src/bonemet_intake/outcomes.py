"""FHIR OperationOutcome answers. Diagnostics never echo submitted values (they may be PHI)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Issue:
    code: str
    """http://hl7.org/fhir/issue-type code, e.g. 'invalid', 'structure', 'not-supported'."""
    diagnostics: str
    expression: tuple[str, ...] = ()
    severity: str = "error"


class IntakeError(Exception):
    """A request the intake refuses, with its HTTP status and issues."""

    def __init__(self, status: int, *issues: Issue, headers: dict[str, str] | None = None) -> None:
        super().__init__(issues[0].diagnostics if issues else str(status))
        self.status = status
        self.issues = issues
        self.headers = headers or {}


def operation_outcome(*issues: Issue) -> dict[str, Any]:
    return {
        "resourceType": "OperationOutcome",
        "issue": [
            {
                "severity": issue.severity,
                "code": issue.code,
                "diagnostics": issue.diagnostics,
                **({"expression": list(issue.expression)} if issue.expression else {}),
            }
            for issue in issues
        ],
    }


def information(diagnostics: str) -> dict[str, Any]:
    return operation_outcome(Issue(code="informational", diagnostics=diagnostics, severity="information"))
