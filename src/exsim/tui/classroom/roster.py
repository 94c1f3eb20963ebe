"""The console's roster: one row per group and role, its columns fitted to the console's width
(no sideways scrolling), and the selected row in full on the line below it."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import DataTable

from exsim.classroom import Group

COLUMNS = ("Group", "Role", "Student", "Here", "Recommendation", "Decision")
ADVISOR = "— advisor"
SHRINK = ((2, 8), (1, 10), (0, 7))
"""(column, narrowest width): Student gives up width first, then Role, then Group; a cut
name ends in "…" and the line below the roster shows the selected row in full."""


def roster_row(group: Group, role: str, stage: str, here: bool) -> tuple[Text, ...]:
    """One line of the roster: shows who sent a recommendation, never what it was."""
    person = group.campaign.roles[role].name
    playing = role in group.claims
    student = cell(group.claims[role]) if playing else cell(ADVISOR, "dim")
    decision = group.decision
    entry = next(iter(group.round_entries()), None)
    if stage in ("deciding", "decided") and entry is not None:
        sent = "✓ sent" if role in entry.recommendations else ""
    elif stage != "discussing" or decision is None:
        sent = ""
    elif role not in group.asked():
        sent = "chairs" if role == group.decider() else "not asked"
    elif role in group.session.pending.get(decision.id, {}):
        sent = "✓ sent"
    elif playing:
        sent = "… waiting" if here else "away"
    else:
        sent = ""
    if group.paused:
        done = "PAUSED"
    elif group.game.finished:
        done = "game over"
    elif group.decided and stage in ("deciding", "decided"):
        done = "✓ decided"
    elif stage in ("discussing", "deciding") and group.decider() == role:
        done = "chair"
    else:
        done = ""
    shown = ("yes" if here else "no") if playing else ""
    return (cell(group.label), cell(person), student, *map(cell, (shown, sent, done)))


def row_detail(group: Group, role: str, here: bool) -> Text:
    """The selected row in full: group, person and office, who plays the role."""
    person = group.campaign.roles[role]
    out = Text.assemble((f"{group.label} · {person.name}", "bold"), f" ({person.office}): ")
    student = group.claims.get(role)
    if student is None:
        return out.append("no student; an advisor voices the recorded position.")
    return out.append(f"{student}, page {'open' if here else 'closed'}.")


def fit(widths: list[int], room: int) -> list[int]:
    """*widths* narrowed, in SHRINK's order, to fit *room* cells if they can."""
    widths = list(widths)
    for column, least in SHRINK:
        over = sum(widths) - room
        if over <= 0:
            break
        widths[column] = max(least, widths[column] - over)
    return widths


class Roster(DataTable):
    """The roster, its columns as wide as the console allows."""

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.shown: list[tuple[str, tuple[Text, ...]]] = []
        self.widths: list[int] = []

    def show(self, rows: list[tuple[str, tuple[Text, ...]]]) -> None:
        """Show *rows* ((row key, cells) each), keeping the cursor on the same line."""
        self.shown = rows
        widths = self.fitted()
        at = self.cursor_row
        if widths != self.widths:
            self.widths = widths
            self.clear(columns=True)
            for label, width in zip(COLUMNS, widths, strict=True):
                self.add_column(label, width=width)
        else:
            self.clear()
        for key, cells in rows:
            self.add_row(*cells, key=key)
        if self.row_count:
            self.move_cursor(row=min(at, self.row_count - 1))

    def fitted(self) -> list[int]:
        """Each column's width: its widest cell, narrowed to the space there is."""
        widths = [cell_len(label) for label in COLUMNS]
        for _, cells in self.shown:
            widths = [max(w, c.cell_len) for w, c in zip(widths, cells, strict=True)]
        if not self.size.width:
            return widths
        padding = 2 * self.cell_padding * len(COLUMNS)
        room = self.size.width - self.styles.scrollbar_size_vertical - padding
        return fit(widths, room)

    def on_resize(self, event: events.Resize) -> None:
        if self.shown and self.fitted() != self.widths:
            self.show(self.shown)


def cell(value: str, style: str = "") -> Text:
    """A cell's text: names are data, never markup; one line, cut with "…" if too wide."""
    return Text(value, style=style, no_wrap=True, overflow="ellipsis")
