"""Chaining audit records in a thread of the writing process, so that no request waits for the chain.

`core.audit` asks for a seal after every commit that wrote a record. With `XINGHUO_AUDIT_SEAL_IN_BACKGROUND` (on
PostgreSQL outside the tests) the commit only wakes this process's sealer thread and returns. The thread waits
`GATHER_SECONDS` for the other commits of the moment, then seals everything pending in one pass
(`audit.seal_pending`, which on PostgreSQL leaves the work to another process's sealer at work already, and that
one looks again before it stops). Under a rush of sign-ups, a dozen commits cost one pass instead of a dozen, and
none of them pays for it in its answer.

A record is sealed a moment after its commit instead of at once. If the process dies in that moment, its records
stay pending, as they would if it died between a commit and its seal before: the next pass of any process,
`manage.py seal_audit` or `manage.py verify_audit` seals them. A process that exits normally seals what it still
owes on the way out.
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
import time

from django.conf import settings
from django.db import close_old_connections, connection

GATHER_SECONDS = 0.2  # how long the thread lets commits gather before a pass

log = logging.getLogger(__name__)


def in_background() -> bool:
    return bool(getattr(settings, "XINGHUO_AUDIT_SEAL_IN_BACKGROUND", False))


class BackgroundSealer:
    """One daemon thread per process (started on first use, and again in a forked child), woken by commits."""

    def __init__(self, gather_seconds: float = GATHER_SECONDS) -> None:
        self.gather_seconds = gather_seconds
        self._wake = threading.Event()
        self._start_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._stopping = False
        self._state = threading.Lock()  # guards _requested and idle
        self._requested = 0  # wake-ups asked for so far
        self.passes = 0  # passes made, for the tests
        self.idle = threading.Event()  # set while no wake-up is pending or being handled, for the tests
        self.idle.set()

    def wake(self) -> None:
        with self._state:
            self._requested += 1
            self.idle.clear()
        self._ensure_running()
        self._wake.set()

    def _ensure_running(self) -> None:
        if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
            return
        with self._start_lock:
            if self._thread is not None and self._thread.is_alive() and self._pid == os.getpid():
                return
            # a forked child inherits the object but not the thread: it starts its own
            self._wake = threading.Event()
            self._pid = os.getpid()
            self._thread = threading.Thread(target=self._run, name="xinghuo-audit-sealer", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            if self._stopping:
                connection.close()
                return
            time.sleep(self.gather_seconds)  # the other commits of the moment join this pass
            # Cleared before the pass: a commit from now on wakes the thread for another one; every commit before
            # is visible to this pass.
            with self._state:
                answered = self._requested
                self._wake.clear()
            self._pass()
            with self._state:
                if self._requested == answered:  # no commit since: idle until the next
                    self.idle.set()

    def _pass(self) -> None:
        from xinghuo.core import audit

        try:
            close_old_connections()  # the thread's own connection: renewed when broken or past its age
            audit.seal_pending(wait=False)
        except Exception:  # the change has committed; its record stays pending for the next pass
            log.exception("audit seal in the background failed; the records stay pending for the next seal")
            connection.close()
        finally:
            self.passes += 1

    def stop(self, timeout: float = 5.0) -> None:
        """End the thread (it closes its connection); the next wake-up starts a new one. For the tests."""
        thread, self._stopping = self._thread, True
        self._wake.set()
        if thread is not None:
            thread.join(timeout)
        self._stopping, self._thread = False, None

    def flush(self) -> None:
        """At the process's exit: seal what this process's commits still owe, in the calling thread."""
        if self.idle.is_set():
            return
        from xinghuo.core import audit

        try:
            audit.seal_pending()
        except Exception:  # exiting: the next seal anywhere takes them
            log.exception("audit seal at exit failed; the records stay pending for the next seal")


sealer = BackgroundSealer()
atexit.register(sealer.flush)
