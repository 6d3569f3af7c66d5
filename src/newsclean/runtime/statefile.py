"""Opening a ``--state`` file: one writer at a time, the file itself, ours only.

* **One writer.** The file is locked (``flock``, exclusive) for the whole run.
  A second run on the same file, however its path is spelled, stops at once
  with a message (exit 1) instead of interleaving its writes with the first
  run's. SQLite's own locks are POSIX record locks on the same file; ``flock``
  locks are a separate kind on Linux and the BSDs, so the two never meet.
* **The file, not its spelling.** The path is resolved (``realpath``) before
  anything is keyed on it: ``s.db``, ``./s.db`` and ``/abs/s.db`` are one state.
* **Ours only.** Another program's SQLite database (or any other file) given as
  ``--state`` is refused with a message; nothing is written into it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass

from newsclean.errors import NewscleanError

#: the tables a newsclean state file may hold (``names_`` ones: the registry)
OURS = frozenset({"meta", "inputs", "outputs", "evidence", "work"})
_SQLITE_MAGIC = b"SQLite format 3\x00"


class StateError(NewscleanError):
    """The state file cannot be used: ``path: reason``."""

    def __init__(self, path: str, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


@dataclass
class Opened:
    """An open, locked state file."""

    db: sqlite3.Connection
    #: the resolved path: what the state is keyed on
    real: str
    #: the descriptor holding the lock (closed last)
    lock: int
    #: the file was empty: a new state
    new: bool

    def close(self) -> None:
        try:
            with contextlib.suppress(sqlite3.Error):
                # fold the write-ahead log back into the file, so it does not stay as big
                # as the last run's largest transaction
                self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.db.close()
        finally:
            os.close(self.lock)


def open_state(path: str) -> Opened:
    """Lock and open the state file at ``path`` (made if missing)."""
    if not path:
        raise StateError("--state", "empty path")
    real = os.path.realpath(path)
    folder = os.path.dirname(real)
    try:
        os.makedirs(folder, exist_ok=True)
        fd = os.open(real, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise StateError(path, f"cannot open the state file: {exc.strerror or exc}") from exc
    try:
        _lock(fd, path)
        head = os.pread(fd, len(_SQLITE_MAGIC), 0)
        if head and head != _SQLITE_MAGIC:
            raise StateError(path, "not a newsclean state file (not an SQLite database)")
        db = _connect(real, path, new=not head)
        return Opened(db, real, fd, new=not head)
    except BaseException:
        os.close(fd)
        raise


def _lock(fd: int, path: str) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise StateError(
            path,
            "in use by another newsclean run (a state file has one writer at a time); "
            "run again once it has finished",
        ) from None
    except OSError as exc:  # a file system without locks: say so rather than race
        raise StateError(path, f"cannot lock the state file: {exc.strerror or exc}") from exc


def _connect(real: str, path: str, new: bool) -> sqlite3.Connection:
    try:
        db = sqlite3.connect(real, isolation_level=None)
    except sqlite3.Error as exc:
        raise StateError(path, f"cannot open the state file ({exc})") from exc
    try:
        if new:
            # freed pages (a run's work, replaced outputs) go back to the system
            # after each run (incremental_vacuum), so the file tracks what it holds
            db.execute("PRAGMA auto_vacuum=INCREMENTAL")
        tables = {
            str(row[0]) for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        foreign = sorted(t for t in tables - OURS if not t.startswith(("names_", "sqlite_")))
        ours = "meta" in tables and _has_version(db)
        if tables and (foreign or not ours):
            shown = ", ".join(foreign or sorted(tables))[:200]
            raise StateError(
                path, f"not a newsclean state file (another program's database: tables {shown})"
            )
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.Error as exc:
        db.close()
        raise StateError(path, f"not a newsclean state file ({exc})") from exc
    except BaseException:
        db.close()
        raise
    return db


def _has_version(db: sqlite3.Connection) -> bool:
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    except sqlite3.Error:
        return False
    return row is not None
