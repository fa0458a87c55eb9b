"""bonemet command line."""
