"""bonemet notifier service."""
