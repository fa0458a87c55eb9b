"""bonemet shared kernel: what every service agrees on, and nothing service-specific."""
