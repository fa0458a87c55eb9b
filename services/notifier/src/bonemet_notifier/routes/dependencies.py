"""What every route of the clinician page shares: made once per app by ``web.create_app`` from what
``bootstrap.build`` builds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bonemet_notifier.clinicians import Clinicians
from bonemet_notifier.ids import AlertNames
from bonemet_notifier.review import ReviewStore


@dataclass(frozen=True)
class PageContext:
    """What the page needs besides the stores: keys, who may sign in, where the EHR is, who is who."""

    link_key: bytes
    names: AlertNames
    clinicians: Clinicians
    recipients_of: Callable[[str], tuple[str, ...]]
    """Clinician id -> the routing recipients they are (by recipient name or reference)."""
    ehr_patient_url: str | None
    origins: tuple[str, ...]
    clock: Callable[[], datetime]


@dataclass(frozen=True)
class Dependencies:
    """What every route shares."""

    review: ReviewStore
    identity: Callable[[str], Any]
    """Patient reference -> (awaitable) ``PatientIdentity``: shown only to a signed-in clinician."""
    context: PageContext
