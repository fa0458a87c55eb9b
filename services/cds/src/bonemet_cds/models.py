"""The CDS Hooks 2.0 JSON as pydantic models: discovery, hook request, cards, feedback.

Field names and optionality follow the specification (cds-hooks.hl7.org/2.0). Requests keep unknown
members (``extension`` and hook-specific context); responses are written without empty members, as the
specification asks ("OPTIONAL attributes ... omitted rather than null or empty").
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Request(BaseModel):
    model_config = ConfigDict(extra="allow")


class _Response(BaseModel):
    model_config = ConfigDict(extra="forbid")

    def as_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


# --- discovery ------------------------------------------------------------------------------------------


class Service(_Response):
    hook: str
    title: str
    description: str
    id: str
    prefetch: dict[str, str] | None = None
    usageRequirements: str | None = None


class Discovery(_Response):
    services: list[Service]


# --- the hook call --------------------------------------------------------------------------------------


class FhirAuthorization(_Request):
    access_token: str = Field(min_length=1)
    token_type: str
    expires_in: int
    scope: str
    subject: str
    patient: str | None = None


class HookContext(_Request):
    userId: str | None = None
    patientId: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9\-.]{1,64}$")
    encounterId: str | None = None
    draftOrders: dict[str, Any] | None = None
    selections: list[str] | None = None


class HookRequest(_Request):
    hook: str
    hookInstance: str = Field(min_length=1, max_length=128)
    fhirServer: str | None = None
    fhirAuthorization: FhirAuthorization | None = None
    context: HookContext
    prefetch: dict[str, Any] | None = None


# --- the answer -----------------------------------------------------------------------------------------


class Coding(_Response):
    system: str | None = None
    code: str
    display: str | None = None


class Source(_Response):
    label: str
    url: str | None = None
    icon: str | None = None
    topic: Coding | None = None


class Action(_Response):
    type: Literal["create", "update", "delete"]
    description: str
    resource: dict[str, Any] | None = None
    resourceId: str | None = None


class Suggestion(_Response):
    label: str
    uuid: str | None = None
    isRecommended: bool | None = None
    actions: list[Action] | None = None


class Link(_Response):
    label: str
    url: str
    type: Literal["absolute", "smart"]
    appContext: str | None = None
    autolaunchable: bool | None = None


class Card(_Response):
    uuid: str | None = None
    summary: str = Field(max_length=139)
    detail: str | None = None
    indicator: Literal["info", "warning", "critical"]
    source: Source
    suggestions: list[Suggestion] | None = None
    selectionBehavior: Literal["at-most-one", "any"] | None = None
    overrideReasons: list[Coding] | None = None
    links: list[Link] | None = None


class CdsResponse(_Response):
    cards: list[Card]
    systemActions: list[Action] | None = None


# --- feedback -------------------------------------------------------------------------------------------


class AcceptedSuggestion(_Request):
    id: str = Field(max_length=128)


class OverrideReason(_Request):
    reason: dict[str, Any] | None = None
    userComment: str | None = None


class Feedback(_Request):
    card: str = Field(min_length=1, max_length=128)
    outcome: Literal["accepted", "overridden"]
    acceptedSuggestions: list[AcceptedSuggestion] | None = Field(default=None, max_length=50)
    overrideReason: OverrideReason | None = None
    outcomeTimestamp: str


class FeedbackRequest(_Request):
    feedback: list[Feedback] = Field(max_length=100)
