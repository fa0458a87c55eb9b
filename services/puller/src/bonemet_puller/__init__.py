"""bonemet puller: the EHR pull connector (issue 16, docs/ehr-pull.md)."""
