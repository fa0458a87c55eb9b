"""The acceptance path every way in shares (push: the intake; pull: the puller).

One module per concern, used by both, never copied: ``validation`` (FHIR R4 content, the patient
reference), ``planning`` (deduplication on (source, type, id, versionId) and version ordering, pure),
``records`` (the audit records of what was decided, pure) and ``store`` (the one optimistic
transaction that commits events, idempotency keys, version states and audit records together).
"""
