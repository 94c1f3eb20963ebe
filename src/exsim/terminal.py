"""Text bound for a terminal: control characters are shown as escapes, never sent raw.

A scenario title, a group name or an imported file can hold ESC sequences that set the
window title, clear the screen or add links; newlines and tabs are kept, everything else
that is a control character (C0, DEL, C1) or reorders text (bidirectional overrides) is
written as a visible `\\x1b`-style escape.
"""

from __future__ import annotations

import re

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """*text* with every control character other than newline and tab shown as an escape."""
    return CONTROL.sub(lambda m: ascii(m.group())[1:-1], text)


def has_control(text: str) -> bool:
    """True if *text* holds a character `printable` would escape."""
    return CONTROL.search(text) is not None


def without_controls(text: str) -> str:
    """*text* with every control character removed, newlines and tabs too: for a one-line
    value such as an address, which no control character belongs in."""
    return CONTROL.sub("", text).replace("\n", "").replace("\t", "")
