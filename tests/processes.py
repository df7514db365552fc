"""Servers the tests start in child processes (``outcomes serve``, gunicorn), stopped with everything
they started.

``outcomes serve`` starts gunicorn's workers and a report worker of its own. Stopping only the parent
can leave the report worker running after the test, with no parent, taking work from a database
nobody uses and CPU from the tests that follow (and from the other pytest-xdist workers). So a server
starts in a process group of its own (``Popen(..., **OWN_GROUP)``); ``stop`` interrupts the server
(SIGINT: gunicorn's quick stop; SIGTERM, its graceful stop, waits up to 20 s for the browser's kept-alive
connections), which stops what it started, then kills whatever of its group is left.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from typing import Any

#: ``subprocess.Popen`` keywords: the child leads a new session, so its group is its own.
OWN_GROUP: dict[str, Any] = {"start_new_session": True}


def stop(process: subprocess.Popen[Any], timeout: float = 60) -> None:
    """SIGINT to the server, up to ``timeout`` seconds for it to stop its workers and end, then SIGKILL
    to anything of its group still running."""
    with contextlib.suppress(ProcessLookupError):
        process.send_signal(signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=timeout)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
