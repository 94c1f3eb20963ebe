"""Files that may come from anyone, and files the user asks exsim to write: regular files only.

A path may name a named pipe (reading would wait forever), a device such as /dev/zero (endless),
a directory, or a symbolic link to any of these; a file may grow while it is read. `read_bytes`
opens without blocking, checks what it opened, and never reads more than the limit allows.
`write_text` writes only a regular file, and overwrites one only when asked (`--force`).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


class FileRefused(OSError):
    """The path is not a regular file, or holds more than the limit; `strerror` says which."""

    def __init__(self, why: str) -> None:
        super().__init__(errno.EINVAL, why)

    def __str__(self) -> str:
        return self.strerror


def read_bytes(path: str | os.PathLike, limit: int) -> bytes:
    """The content of the regular file at *path*, at most *limit* bytes; else FileRefused.

    OSError (not found, no permission) passes through; its `strerror` reads well.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags)  # without blocking: opening a pipe with no writer would wait
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = KINDS.get(stat.S_IFMT(mode), "not a regular file")
            raise FileRefused(f"not a regular file ({kind}); give a file")
        os.set_blocking(fd, True)
        chunks, total = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - total)):
            total += len(chunk)
            if total > limit:
                raise FileRefused(f"too large: the limit is {limit:,} bytes")
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: str | Path, limit: int) -> str:
    """`read_bytes` decoded as UTF-8; FileRefused if it is not UTF-8."""
    raw = read_bytes(path, limit)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileRefused(f"not UTF-8 text ({exc.reason})") from None


def writable(path: str | os.PathLike, force: bool = False) -> Path:
    """The file to write for *path* — the one rule for every command that writes a file: a path
    that exists is overwritten only with *force*, and never when it is not a regular file (a
    device such as /dev/full, a named pipe, a folder, a socket, or a symbolic link to one).
    FileRefused says why."""
    target = Path(path)
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(mode):
        kind = KINDS.get(stat.S_IFMT(mode), "not a regular file")
        raise FileRefused(f"not a regular file ({kind}); name a file to write")
    if not force:
        raise FileRefused("exists; use --force to overwrite it")
    return target.resolve()  # through a symbolic link: replace the file, keep the link


def write_text(path: str | os.PathLike, text: str, force: bool = False) -> None:
    """Write *text* (UTF-8) to *path* as `writable` allows, atomically: a crash leaves the old
    file whole. OSError (no such folder, no permission, a full disk) passes through."""
    target = writable(path, force)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
