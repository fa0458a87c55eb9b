"""bonemet CDS Hooks 2.0 service (docs/cds-hooks.md)."""
