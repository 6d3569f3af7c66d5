"""Worker processes end when the process that started them dies (#17).

``clean`` stops its pool on Ctrl-C and ``kill``, but a SIGKILL (the OOM killer,
``kill -9``, a CI job cancelled) gives it no chance: its workers would run on,
reparented, holding memory and CPU. Each worker watches its parent instead.

Not ``prctl(PR_SET_PDEATHSIG)``: Linux sends that signal when the *thread* that
forked the worker ends, and a pool may fork a replacement worker from a helper
thread that ends long before the run does. A daemon thread that polls
``getppid`` costs nothing measurable and works on every POSIX system.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time

#: seconds between two looks at the parent
INTERVAL = 0.5


def end_with_parent(interval: float = INTERVAL) -> None:
    """Exit this (forked or spawned) process as soon as its parent has died."""
    parent = multiprocessing.parent_process()
    expected = parent.pid if parent is not None and parent.pid else os.getppid()
    if os.getppid() != expected:  # the parent died before this process got here
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != expected:
                os._exit(1)

    threading.Thread(target=watch, name="newsclean-orphan-watch", daemon=True).start()
