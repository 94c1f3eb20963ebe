"""The one rule for names people give: group names and player names, typed or imported."""

from __future__ import annotations

import unicodedata

from exsim.terminal import has_control

MAX_GROUP = 60
MAX_PLAYER = 60


def group_name(text: str) -> str:
    """*text* stripped; ValueError if it is blank, longer than MAX_GROUP, or holds controls."""
    return _name(text, "a group name", MAX_GROUP, blank="a session needs a group name")


def player_name(text: str) -> str:
    """*text* stripped; ValueError if it is blank, longer than MAX_PLAYER, or holds controls."""
    return _name(text, "a player's name", MAX_PLAYER, blank="a player's name cannot be blank")


def _name(text: str, what: str, limit: int, blank: str) -> str:
    name = text.strip()
    if not name:
        raise ValueError(blank)
    if len(name) > limit:
        raise ValueError(f"{what} has {len(name):,} characters; at most {limit} are allowed")
    if has_control(name):
        raise ValueError(f"{what} cannot hold control characters")
    return name


def same_name_key(text: str) -> str:
    """What two names that look alike share: compatibility forms folded (NFKC), invisible
    format characters (zero-width spaces and joiners, direction marks) dropped, spaces
    collapsed, case folded. "Ana", "ana" and "A\u200bna" have the same key."""
    folded = unicodedata.normalize("NFKC", text)
    visible = "".join(ch for ch in folded if unicodedata.category(ch) != "Cf")
    return " ".join(visible.split()).casefold()
