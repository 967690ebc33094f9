"""Files only the service's user may read: directories 0700, files 0600.

Modes are set explicitly where a file or directory is made, and existing ones are tightened,
rather than relying on the process umask: a umask is process-wide (it would change what
everything else in the process writes, the tests included), and it says nothing about files
made before it was set. SQLite creates a database's `-wal`, `-shm` and `-journal` files with
the mode of the database file itself, so a 0600 database gets 0600 companions whatever the
umask (docs/security.md, "Files on disk").
"""

from __future__ import annotations

import logging
import os
import stat
from contextlib import suppress
from pathlib import Path

logger = logging.getLogger("app")

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_directory(path: Path) -> None:
    """Make `path` (and missing parents) a directory only its owner can enter.

    A directory made here is 0700. One that exists already loses its group and other
    permissions when it belongs to this process's user, unless it is shared by design (the
    sticky bit, as on /tmp) or the filesystem root; otherwise it is left alone, with a warning.
    """
    if not path.exists():
        path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
        path.chmod(DIRECTORY_MODE)  # whatever the umask
        return
    info = path.stat()
    if not info.st_mode & 0o077:
        return
    shared = info.st_mode & stat.S_ISVTX or path.resolve() == Path(path.resolve().anchor)
    if shared or info.st_uid != os.geteuid():
        logger.warning(
            "a data directory is open to other users; make it private (chmod 700) or move the "
            "files to a directory of their own",
            extra={"path": str(path)},
        )
        return
    try:
        path.chmod(stat.S_IMODE(info.st_mode) & ~0o077)
    except OSError:
        logger.warning(
            "a data directory is open to other users and cannot be made private (chmod 700)",
            extra={"path": str(path)},
        )


def private_file(path: Path) -> None:
    """Create `path` empty with mode 0600 if it is missing; take group and other access away."""
    if not path.exists():
        with suppress(FileExistsError):  # made meanwhile by another process
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    tighten(path)


def tighten(path: Path) -> None:
    """Take group and other access away from `path` if it exists (a no-op otherwise)."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            path.chmod(mode & ~0o077)
    except FileNotFoundError:
        pass
    except OSError:  # not ours to change (or read-only): say so rather than refuse to start
        logger.warning(
            "a data file is open to other users and cannot be made private (chmod 600)",
            extra={"path": str(path)},
        )


def private_sqlite_database(path: Path) -> None:
    """Before SQLite opens `path`: its directory, the file and any companion file, private.

    An empty file is a valid empty database, so creating it here (0600) rather than letting
    SQLite create it (0644 under the usual umask) leaves no moment where it is readable by
    others; the `-wal` and `-shm` files SQLite makes later take the database file's mode.
    """
    private_directory(path.parent)
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        tighten(path.with_name(path.name + suffix))
