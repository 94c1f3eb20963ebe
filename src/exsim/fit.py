"""Labels fitted to a width without cutting a word: wrapped onto more lines, or shortened to
whole words and an ellipsis (where the whole text is one key or a hover away)."""

from __future__ import annotations

import textwrap

ELLIPSIS = "…"


def wrapped(label: str, width: int) -> list[str]:
    """*label* on lines of at most *width* characters, broken between words (a word longer
    than the width alone on its line)."""
    return textwrap.wrap(label, width, break_long_words=False, break_on_hyphens=False) or [""]


def paragraph(text: str, width: int = 80, indent: int = 0) -> str:
    """*text* wrapped between words in *width* columns, *indent* spaces in, lines after the
    first two more."""
    return textwrap.fill(
        text,
        width,
        initial_indent=" " * indent,
        subsequent_indent=" " * (indent + 2),
        break_long_words=False,
        break_on_hyphens=False,
    )


def shortened(label: str, width: int) -> str:
    """*label* if it fits in *width* characters; else its first whole words and "…"."""
    if len(label) <= width:
        return label
    head = label[: width - 1]
    space = head.rfind(" ")
    if space > 0 and label[width - 1] != " ":
        head = head[:space]
    return head.rstrip(" ,;:") + ELLIPSIS


def rows(label: str, width: int, figures: str) -> list[str]:
    """A table row: *label* wrapped in a column of *width*, *figures* after its first line."""
    lines = wrapped(label, width)
    return [f"{lines[0]:<{width}} {figures}", *lines[1:]]
