"""The clinical engine: pure functions from one patient's FHIR resources to clinical-rules §7 (A11) output.

No IO, no clock: ``now`` is an argument, so every decision can be replayed and tested exhaustively.

Public API (stable; the service, the CLI and the tests use only this):

- ``evaluate(resources, now) -> Evaluation | None``: ``None`` when the patient has no
  bone-metastasis Condition at all (nothing to suggest, nothing to revoke).
- ``read(resource) -> ResourceRead``: what the readers take from the resource alone; ``evaluate`` takes such
  reads in place of resources and answers the same (a caller that holds a resource may read it once).
- ``Evaluation``: the ``PatientDecision``, the A11 collection ``Bundle`` (a dict), the CarePlan id,
  a content hash that changes exactly when the suggestion's content changes (timestamps excluded),
  and the readable rendering.
"""

from __future__ import annotations

from bonemet_recommender.engine.evaluation import Evaluation, evaluate
from bonemet_recommender.engine.reads import ResourceRead, read

__all__ = ["Evaluation", "ResourceRead", "evaluate", "read"]
