"""Fixed points where an integration test can hold a worker process (between the pipeline's checks and
its decision, say) to make a race happen on purpose, never by timing.

Inert unless the process was started with ``PORTAL_TEST_HOOKS_DIR``: then a point whose
``<name>.pause`` file exists in that folder writes ``<name>.reached`` and waits for ``<name>.release``
(two minutes at most). ``check --deploy`` refuses the variable in production.
"""

import os
import time
from pathlib import Path

ENVIRONMENT_VARIABLE = "PORTAL_TEST_HOOKS_DIR"
MAX_WAIT_SECONDS = 120


def pause_point(name: str) -> None:
    folder = os.environ.get(ENVIRONMENT_VARIABLE)
    if not folder or not (Path(folder) / f"{name}.pause").exists():
        return
    base = Path(folder)
    (base / f"{name}.reached").touch()
    deadline = time.monotonic() + MAX_WAIT_SECONDS
    while not (base / f"{name}.release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
