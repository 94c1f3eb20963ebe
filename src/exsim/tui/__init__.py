"""The Textual game; importing it applies exsim's fixes to Textual (`textual_fixes`)."""

from exsim.tui import textual_fixes  # noqa: F401
