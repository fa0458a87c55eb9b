"""What every route of the CDS service shares: made once per app by ``http.create_app``."""

from __future__ import annotations

from dataclasses import dataclass

from bonemet_cds.service import CdsService
from bonemet_cds.store import CdsStore
from bonemet_cds.trust import Verifier


@dataclass(frozen=True)
class Dependencies:
    """What every route shares."""

    service: CdsService
    verifier: Verifier
    store: CdsStore
    base: str
    """This service's public base URL, without a trailing slash: a JWT's ``aud`` is it plus the path called."""
    max_body_bytes: int
