"""FHIR OperationOutcome answers. Diagnostics never echo submitted values (they may be PHI)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from http import HTTPStatus
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

    @property
    def reason(self) -> str:
        """A short code for logs and audit details: the first issue's code."""
        return self.issues[0].code if self.issues else "error"


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


def rebase(issues: tuple[Issue, ...] | list[Issue], prefix: str, resource_type: str | None = None) -> list[Issue]:
    """Re-root issue expressions under ``prefix`` (e.g. ``Bundle.entry[3].resource``).

    An expression ``Condition.code`` becomes ``Bundle.entry[3].resource.code``; one that does not
    start with the resource type is appended as is.
    """
    rebased = []
    for issue in issues:
        expressions = []
        for expression in issue.expression:
            if resource_type and (expression == resource_type or expression.startswith(resource_type + ".")):
                expression = expression[len(resource_type) :]
            elif expression and not expression.startswith("."):
                expression = "." + expression
            expressions.append(prefix + expression)
        rebased.append(replace(issue, expression=tuple(expressions) or (prefix,)))
    return rebased


def status_line(status: int) -> str:
    """'201 Created': the form of ``Bundle.entry.response.status``."""
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)
