"""The audit service's routes, one module per family: the FHIR search (``search``), the review page
(``page``); ``frame`` holds what they share (identifying the reviewer, recording the read first)."""
