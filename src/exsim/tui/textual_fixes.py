"""Fixes to Textual, applied once when exsim.tui is imported (listed in docs/architecture.md,
"Upstream internals"; tests/test_upstream.py fingerprints the code replaced).

- `StylesCache.get_inner_outer` is an `lru_cache` on an instance method: its cache keys hold
  the StylesCache of every widget drawn (up to 1,024), and each holds its widget's rendered
  lines, long after the widget is gone. Over a campaign that kept about 900 of them, some
  23 MiB. Its result depends only on the two colours, so it is cached on those alone.
"""

from __future__ import annotations

from functools import lru_cache

from textual._styles_cache import StylesCache
from textual.color import Color
from textual.style import Style

REPLACED: dict[str, object] = {
    "textual._styles_cache:StylesCache.get_inner_outer": StylesCache.__dict__["get_inner_outer"]
}
"""Upstream name → the upstream code replaced here."""


@lru_cache(1024)
def inner_outer(base_background: Color, background: Color) -> tuple[Style, Style]:
    """The inner and outer background styles, as Textual's `get_inner_outer` computes them."""
    return (Style(background=base_background + background), Style(background=base_background))


StylesCache.get_inner_outer = staticmethod(inner_outer)  # type: ignore[assignment]
