"""Printable role cards: one page per role, for students away from a keyboard.

A card says who the student plays and, phase by phase, what that person knew on its date: the
role's briefings, as the game shows them to the role on the record's path (a briefing shown
only when play has left the record is not on the card), and the items the role recommends on
or decides. Nothing on a card is dated after its phase.
"""

from __future__ import annotations

from exsim.engine.campaign import Campaign
from exsim.engine.compare import play_record
from exsim.report.render import day, esc, html


def markdown(campaign: Campaign) -> str:
    """Every playable role's card, each under its own top heading (a new printed page)."""
    record = play_record(campaign)
    out: list[str] = []
    add = out.append
    for role in campaign.scenario.roles:
        if not role.playable:
            continue
        add(f"# {esc(role.name)}, {esc(role.office)}\n")
        add(
            f"*Role card — {esc(campaign.scenario.title)}.* You play {esc(role.name)}. What "
            f"follows is what {esc(role.name)} knew on each date, and nothing later; your "
            "screen shows the same, and more if your group's choices leave the record.\n"
        )
        for phase in campaign.scenario.phases:
            if phase.kind == "outcome":
                continue
            state = record.phase_state(phase)
            known = campaign.briefings(role.id, phase, state) if state is not None else ()
            items = [
                d
                for d in phase.decisions
                if role.id == campaign.decider(d) or role.id in campaign.recommenders(d)
            ]
            if not known and not items:
                continue
            add(f"## {esc(phase.title)}, {day(phase.date.isoformat())}\n")
            for b in known:
                keys = "; ".join(esc(campaign.cite_text(c)) for c in b.cite)
                add(f"{esc(b.text)} [{keys}]\n")
            for d in items:
                part = "You decide" if role.id == campaign.decider(d) else "You recommend"
                add(f"- **{part}:** {esc(d.title)}")
            if items:
                add("")
    return "\n".join(out)


def page(campaign: Campaign) -> str:
    """The cards as one printable HTML page, each role on a page of its own."""
    return html(markdown(campaign), f"Role cards — {campaign.scenario.title}")
