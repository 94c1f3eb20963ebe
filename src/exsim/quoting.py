"""A source's exact words set in what is said about it: marked where they occur, else added
once after it, introduced as the source's words; never the same words twice, never a quote
in straight quotes inside another."""

from __future__ import annotations


def quote_parts(said: str, quote: str | None) -> tuple[str, str, str]:
    """(before, the quoted words, after): put “ ” round the middle part (empty: no quote).
    Quotation marks within the quote become single ones, as a quote nested in a quote."""
    if not quote:
        return said, "", ""
    words = " ".join(quote.split())
    at = said.find(words)
    if at >= 0:
        return said[:at], inner(words), said[at + len(words) :]
    return f"{said.rstrip()} In the source's words: ", inner(words), ""


def inner(words: str) -> str:
    """*words* with their double quotation marks made single, an opening one as ‘."""
    out = []
    opening = True
    for ch in words:
        if ch in '"“”':
            out.append("‘" if opening else "’")
            opening = not opening
        else:
            out.append(ch)
    return "".join(out)
