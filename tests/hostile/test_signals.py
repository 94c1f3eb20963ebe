"""`kill` (SIGTERM) or a closed terminal (SIGHUP) during a game: the game ends as Ctrl+Q ends
it, leaving the terminal as it found it (no alternate screen, no mouse reporting)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest

LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
MOUSE_OFF = b"\x1b[?1000l"


def read_until(fd: int, wanted: bytes, timeout: float) -> bytes:
    """What the terminal received, until *wanted* appears, the end, or *timeout* seconds."""
    out = b""
    end = time.monotonic() + timeout
    while wanted not in out and time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            out += chunk
    return out


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_the_terminal_is_restored_after_a_signal(tmp_path, signum):
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = os.environ | {"EXSIM_DATA_DIR": str(tmp_path), "TERM": "xterm-256color"}
    game = subprocess.Popen(
        [sys.executable, "-m", "exsim", "play"],
        stdin=child,
        stdout=child,
        stderr=child,
        env=env,
        start_new_session=True,
    )
    os.close(child)
    try:
        shown = read_until(main, b"Start", 60)
        assert b"\x1b[?1049h" in shown  # the game took the alternate screen
        game.send_signal(signum)
        after = read_until(main, LEAVE_ALTERNATE_SCREEN, 20)
        assert game.wait(timeout=20) is not None
    finally:
        if game.poll() is None:
            game.kill()
        os.close(main)
    assert LEAVE_ALTERNATE_SCREEN in after
    assert b"\x1b[?1000h" in shown and MOUSE_OFF in after
