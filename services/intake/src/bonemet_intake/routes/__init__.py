"""The intake's routes, one module per family: resources, bundles (and notifications), reads."""
