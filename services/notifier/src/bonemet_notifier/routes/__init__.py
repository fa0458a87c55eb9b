"""The clinician page's routes, one module per family: session (sign-in, sign-out), alerts (the page and
its actions), worklist; ``frame`` holds what they share."""
