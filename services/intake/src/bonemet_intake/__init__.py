"""bonemet intake service."""
