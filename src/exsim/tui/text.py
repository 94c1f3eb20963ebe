"""Rich text for the screens: passages with citations, dates, entries as cables.

Scenario text is never read as markup: everything is built from `Text` pieces, so a bracket in
a scenario file shows as a bracket. Simulated material says "simulated" in words, not colour.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

from exsim.quoting import quote_parts

if TYPE_CHECKING:
    from exsim.engine.campaign import Campaign
    from exsim.engine.game import Entry
    from exsim.engine.policy import Refusal
    from exsim.scenario.model import Advocacy, Passage

SIMULATED = "SIMULATED"
CITE = "cite"
"""The style meta key that marks a citation on screen, with its key (`source#label`)."""
HINDSIGHT = "HINDSIGHT, not known at the time"
CONSTRUCTED = "A sitting the game convenes: no meeting of this day is recorded."


def long_date(day: dt.date) -> str:
    """'Monday 5 November 1962'."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def cites(campaign: Campaign, refs: Iterable[str]) -> Text:
    """' [FRUS XI, 143 ¶3; FRUS XI, 174 ¶1]', dim, each citation a link that opens its source
    at the paragraph (the app's `open_source`); empty when there are none."""
    return cite_links((key, campaign.cite_text(key)) for key in refs)


def cite_links(cites: Iterable[tuple[str, str]]) -> Text:
    """(citation key, as readers see it) pairs as ' [A; B]', each one a link (see `cites`)."""
    out = Text(style="dim")
    for n, (key, shown) in enumerate(cites):
        out.append("; " if n else " [")
        # keys are checked as `source#label` ([a-z0-9_#] only): safe inside the action string
        action = {"@click": f"app.open_source({key!r})", CITE: key}
        out.append(shown, style=Style(underline=True, meta=action))
    if out:
        out.append("]")
    return out


def passage(campaign: Campaign, p: Passage) -> Text:
    """A passage: its label (simulated, hindsight), its text with any exact quotation marked,
    and its citation or the reason a simulated passage is plausible."""
    out = Text()
    if p.simulated:
        out.append(f"{SIMULATED}: ", style="bold")
    if p.hindsight:
        out.append(f"{HINDSIGHT}: ", style="bold")
    out.append_text(quoted(p.text, p.quote))
    out.append_text(cites(campaign, p.cite))
    if p.simulated and p.rationale:
        out.append(f"\n  (why this is plausible: {p.rationale})", style="dim")
    return out


def quoted(said: str, quote: str | None) -> Text:
    """*said* with the source's exact words *quote* marked in quotation marks where they occur
    in it, else added after it: never the same words twice."""
    before, words, after = quote_parts(said, quote)
    out = Text(before)
    if words:
        out.append(f"“{words}”", style="italic")
    return out.append(after)


def refusal(campaign: Campaign, r: Refusal) -> Text:
    return Text(f"not allowed: {r.reason}").append_text(cites(campaign, r.cite))


def heading(title: str, detail: str = "") -> Text:
    """A section's title (bold, underlined) and detail (dim): text appended after it is plain
    (the styles are spans, not the Text's base style, which would run into the body)."""
    out = Text()
    out.append(title, style="bold underline")
    if detail:
        out.append(f"  {detail}", style="dim")
    return out


def lines(*parts: Text | str) -> Text:
    """Join parts with newlines, skipping empty ones."""
    return Text("\n").join(Text(p) if isinstance(p, str) else p for p in parts if p)


def paragraphs(parts: Iterable[Text | str]) -> Text:
    """Join parts with a blank line between, skipping empty ones: one widget for a section."""
    return Text("\n\n").join(Text(p) if isinstance(p, str) else p for p in parts if p)


def position(campaign: Campaign, advocacy: Advocacy, day: dt.date) -> Text:
    """A case put at the table: who, what it is (a reconstruction, or recorded on another
    day), what they argue, and its citations."""
    said = Text.assemble((campaign.roles[advocacy.role].name, "bold"))
    note = campaign.position_note(advocacy, day)
    if note:
        said.append(f" ({note})", style="bold" if advocacy.reconstructed else "dim")
    said.append(": ", style="bold")
    said.append_text(quoted(advocacy.position, advocacy.quote))
    said.append_text(cites(campaign, advocacy.cite))
    return said


def cable(campaign: Campaign, entry: Entry) -> Text:
    """A counterpart's answer as a dated cable; a skipped item as a note."""
    day = long_date(dt.date.fromisoformat(entry.date))
    if entry.kind == "skipped":
        title = campaign.decisions[entry.step].title
        return Text(f"{day}: '{title}' does not come up: the situation no longer calls for it.")
    response = next(r for r in campaign.scenario.responses if r.id == entry.step)
    outcome = next(o for o in response.outcomes if o.id == entry.chosen[0])
    out = Text.assemble((f"CABLE  {day}\n", "bold"))
    out.append(response.title, style="bold")
    out.append(f"\n{outcome.text}")
    if outcome.simulated:
        out.append(f"\n{SIMULATED}: this is not what happened.", style="bold")
        if outcome.rationale:
            out.append(f" Why it is plausible: {outcome.rationale}", style="dim")
    else:
        out.append_text(cites(campaign, outcome.cite))
    for change in moved(entry):
        out.append(f"\n  → {change_text(campaign, change.dimension, change.source, change.dest)}")
    return out


def moved(entry: Entry) -> list:
    """The changes of *entry* that moved something (a move to the state already held is none)."""
    return [ch for ch in entry.changes if ch.source != ch.dest]


def change_text(campaign: Campaign, dim: str, source: str, dest: str) -> str:
    d = next(x for x in campaign.scenario.machine.dimensions if x.id == dim)
    label = {s.id: s.label for s in d.states}
    return f"{d.label}: {label[source]} → {label[dest]}"


def option_label(campaign: Campaign, decision_id: str, option_ids: Iterable[str]) -> str:
    labels = {o.id: o.label for o in campaign.decisions[decision_id].options}
    return "; ".join(labels[o] for o in option_ids) or "nothing"
