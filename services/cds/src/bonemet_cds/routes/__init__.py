"""The CDS service's routes, one module per family: discovery and the hook calls (``hooks``), feedback
(``feedback``); ``frame`` holds what they share (authentication, reading a body, answers)."""
