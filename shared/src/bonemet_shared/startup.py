"""How a service process starts (its garbage collector tuned) and how it ends when it cannot go on: one line
on stderr and a status a supervisor can read.

- a setting that cannot be used (a malformed ``BONEMET_REDIS_URL``, a port that is not a number):
  status 2, one line naming the setting, never its value (it may be a secret);
- the server replaced under the process (``bonemet_shared.server_watch``): status 3;
- anything else: status 1, one line naming the exception's type; the traceback only at
  ``BONEMET_LOG_LEVEL=DEBUG``.
"""

from __future__ import annotations

import gc
import os
import sys
import traceback
from collections.abc import Callable

from pydantic import ValidationError

from bonemet_shared.connecting import SettingError
from bonemet_shared.server_watch import EXIT_SERVER_REPLACED, ServerReplaced

EXIT_SETTING = 2

YOUNG_OBJECTS = 50_000
"""Container allocations between young collections (CPython's default is 700). A batch of entries keeps tens of
thousands of objects alive for milliseconds: at the default they were promoted and then traversed again by
collections of the whole heap, a fifth to a third of the intake's and the recommender's CPU under load
(docs/performance.md, "The garbage collector")."""


def run_process(service: str, main: Callable[[], object]) -> None:
    """Run ``main`` (which reads the settings, builds and runs); end the process as the module says."""
    tune_collector()
    try:
        main()
    except ValidationError as exc:
        _fail(service, setting_problem(exc), EXIT_SETTING)
    except SettingError as exc:
        _fail(service, str(exc), EXIT_SETTING)
    except ServerReplaced as exc:
        _fail(service, str(exc), EXIT_SERVER_REPLACED)
    except KeyboardInterrupt:
        sys.exit(130)  # Ctrl-C before the process's own handler was in place: nothing was in hand
    except Exception as exc:
        if os.environ.get("BONEMET_LOG_LEVEL", "").upper() == "DEBUG":
            traceback.print_exc()
            _fail(service, f"stopped: {type(exc).__name__}", 1)
        _fail(service, f"stopped: {type(exc).__name__} (BONEMET_LOG_LEVEL=DEBUG shows where)", 1)


def tune_collector() -> None:
    """Objects made by the imports live as long as the process: frozen, no collection traverses them again;
    young collections every ``YOUNG_OBJECTS`` allocations. Cycles are still collected, a little later."""
    gc.freeze()
    gc.set_threshold(YOUNG_OBJECTS, *gc.get_threshold()[1:])


def setting_problem(exc: ValidationError) -> str:
    """``BONEMET_INTAKE_PORT: Input should be a valid integer``: the first problem, named as operators set it."""
    error = exc.errors(include_url=False, include_input=False)[0]
    name = "BONEMET_" + "_".join(str(part) for part in error["loc"]).upper()
    return f"{name}: {error['msg']}"


def _fail(service: str, message: str, status: int) -> None:
    print(f"bonemet {service}: {message}", file=sys.stderr, flush=True)
    sys.exit(status)
