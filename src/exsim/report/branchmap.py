"""A map of a scenario's branches as one HTML page, for authors: every phase in agenda order
with its situation's variants, decisions and options, the counterparts' answers, and the
endings; the record path marked, and what no game reaches shown as such.

The page is standalone (no script, no outside resource) and every text from the scenario is
escaped, so a file from anywhere can be mapped and opened safely.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from exsim.engine.campaign import Campaign
from exsim.engine.compare import play_record
from exsim.engine.explore import MAX_NODES, explore
from exsim.scenario.model import Decision, Outcome, Phase, Response


@dataclass(frozen=True)
class Walked:
    """What the walk of every game and the record path reached, for the map's marks."""

    decisions: set[str]
    options: set[tuple[str, str]]
    outcomes: set[tuple[str, str]]
    endings: set[str]
    complete: bool
    record: dict[str, tuple[str, ...]]
    """Step id → what the record path chose there (a decision's options, a response's outcome)."""
    record_ending: str | None
    record_stops: str | None


def walked(campaign: Campaign, max_nodes: int = MAX_NODES) -> Walked:
    """Walk *campaign* and its record path."""
    report = explore(campaign, max_nodes)
    endings = set(report.possible or report.endings)
    game = play_record(campaign)
    return Walked(
        decisions=report.decisions_reached,
        options=report.options_taken,
        outcomes=report.outcomes_seen,
        endings=endings,
        complete=not report.truncated,
        record={e.step: e.chosen for e in game.log if e.kind != "skipped"},
        record_ending=game.ending.id if game.ending else None,
        record_stops=game.current.id if game.current is not None else None,
    )


CSS = """
body { font: 11pt/1.45 Georgia, serif; color: #111; background: #fff; max-width: 60em;
       margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 1.5em; border-bottom: 2px solid #111; }
.legend span, .tag { display: inline-block; padding: 0 .4em; margin-right: .4em;
       border-radius: .3em; font: .8em sans-serif; }
.phase { border: 1px solid #888; border-radius: .4em; padding: .2em 1em .6em; margin: 1em 0; }
.phase > h2 { font-size: 1.15em; margin: .4em 0; }
.decision, .response { border-left: 3px solid #888; margin: .6em 0 .6em .4em; padding-left: .8em; }
.response { border-left-style: dashed; }
h3 { font-size: 1em; margin: .3em 0; }
ul { margin: .2em 0; padding-left: 1.4em; }
.cond, .moves { font: .85em monospace; color: #444; }
.record { background: #e3f2e3; border-color: #2e7d32; }
li.record { font-weight: bold; }
.tag.record, .legend .record { background: #2e7d32; color: #fff; }
.unreachable { color: #888; text-decoration: line-through; }
.unreachable .tag, .tag.unreachable, .legend .unreachable { text-decoration: none;
       background: #bbb; color: #111; }
.tag.simulated, .legend .simulated { background: #f0c36d; color: #111; }
.stops { border: 2px dashed #b00; padding: .3em .6em; }
"""


def branch_map(campaign: Campaign, found: Walked) -> str:
    """The page: *campaign*'s branches with *found*'s marks."""
    s = campaign.scenario
    body = [
        f"<h1>{escape(s.title)}: the branches</h1>",
        f"<p>{escape(s.id)} version {escape(s.version)}: {len(s.phases)} phases, "
        f"{len(campaign.decisions)} decisions, {len(s.responses)} responses, "
        f"{len(s.endings)} endings.</p>",
        '<p class="legend"><span class="record">record path</span> what ExComm chose and '
        'how the counterparts answered; <span class="unreachable">never reached</span> no '
        'game gets there; <span class="simulated">simulated</span> invented for play.</p>',
    ]
    if not found.complete:
        body.append(
            "<p><strong>The walk of every game stopped at its limit: a part marked never "
            "reached may be reached by a game not walked.</strong></p>"
        )
    for phase in s.phases:
        body.append(_phase(campaign, phase, found))
    if found.record_stops:
        body.append(
            f'<p class="stops" id="record-stops">The record path stops at '
            f"{escape(found.record_stops)}: the record does not say what was decided.</p>"
        )
    body.append('<section class="phase" id="endings"><h2>Endings</h2><ul>')
    for e in s.endings:
        marks = _marks(e.id == found.record_ending, e.id not in found.endings, e.simulated)
        when = f' <span class="cond">when {_cond(e.when)}</span>' if e.when else ""
        body.append(
            f'<li id="ending-{e.id}"{marks[0]}>{marks[1]}{escape(e.title)}{when}'
            f"<br>{escape(e.text)}</li>"
        )
    body.append("</ul></section>")
    title = escape(f"{s.title}: the branches")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{CSS}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def _phase(campaign: Campaign, phase: Phase, found: Walked) -> str:
    decisions = [d.id for d in phase.decisions]
    reached = not decisions or any(d in found.decisions for d in decisions)
    on_record = any(d in found.record for d in decisions)
    marks = _marks(on_record, not reached, False)
    when = f' <span class="cond">only when {_cond(phase.when)}</span>' if phase.when else ""
    out = [
        f'<section id="phase-{phase.id}" class="phase{marks[2]}">',
        f"<h2>{marks[1]}{escape(phase.title)}, {phase.date.isoformat()} "
        f'<span class="cond">({phase.kind})</span>{when}</h2>',
    ]
    if phase.situation:
        out.append("<ul>")
        for p in phase.situation:
            shown = f' <span class="cond">shown when {_cond(p.when)}</span>' if p.when else ""
            tag = '<span class="tag simulated">simulated</span>' if p.simulated else ""
            tag += '<span class="tag">hindsight</span>' if p.hindsight else ""
            out.append(f"<li>{tag}{escape(p.text)}{shown}</li>")
        out.append("</ul>")
    for d in phase.decisions:
        out.append(_decision(d, found))
    for r in campaign.scenario.responses:
        if r.after == phase.id:
            out.append(_response(campaign, r, found))
    out.append("</section>")
    return "\n".join(out)


def _decision(d: Decision, found: Walked) -> str:
    marks = _marks(d.id in found.record, d.id not in found.decisions, False)
    when = f' <span class="cond">only when {_cond(d.when)}</span>' if d.when else ""
    out = [
        f'<div id="decision-{d.id}" class="decision{marks[2]}">',
        f"<h3>{marks[1]}{escape(d.title)}{when}</h3>",
        f"<p>{escape(d.question)}</p><ul>",
    ]
    chosen = found.record.get(d.id, ())
    for o in d.options:
        om = _marks(o.id in chosen, (d.id, o.id) not in found.options, False)
        moves = f' <span class="moves">→ {", ".join(o.triggers)}</span>' if o.triggers else ""
        out.append(f'<li id="option-{d.id}-{o.id}"{om[0]}>{om[1]}{escape(o.label)}{moves}</li>')
    out.append("</ul></div>")
    return "\n".join(out)


def _response(campaign: Campaign, r: Response, found: Walked) -> str:
    actor = campaign.actors[r.actor].name
    answered = any(o.id for o in r.outcomes if (r.id, o.id) in found.outcomes)
    marks = _marks(r.id in found.record, not answered, False)
    out = [
        f'<div id="response-{r.id}" class="response{marks[2]}">',
        f"<h3>{marks[1]}{escape(actor)}: {escape(r.title)}, {r.date.isoformat()}</h3><ul>",
    ]
    chosen = found.record.get(r.id, ())
    for o in r.outcomes:
        out.append(_outcome(r, o, o.id in chosen, (r.id, o.id) not in found.outcomes))
    out.append("</ul></div>")
    return "\n".join(out)


def _outcome(r: Response, o: Outcome, on_record: bool, unreachable: bool) -> str:
    marks = _marks(on_record, unreachable, o.simulated)
    when = f' <span class="cond">only when {_cond(o.when)}</span>' if o.when else ""
    moves = f' <span class="moves">→ {", ".join(o.triggers)}</span>' if o.triggers else ""
    return f'<li id="outcome-{r.id}-{o.id}"{marks[0]}>{marks[1]}{escape(o.text)}{when}{moves}</li>'


def _marks(on_record: bool, unreachable: bool, simulated: bool) -> tuple[str, str, str]:
    """(a class attribute, tags shown before the text, classes to add to an existing one)."""
    classes = [c for c, yes in (("record", on_record), ("unreachable", unreachable)) if yes]
    tags = ""
    if on_record:
        tags += '<span class="tag record">record path</span>'
    if unreachable:
        tags += '<span class="tag unreachable">never reached</span>'
    if simulated:
        tags += '<span class="tag simulated">simulated</span>'
    joined = " ".join(classes)
    return (f' class="{joined}"' if classes else "", tags, f" {joined}" if classes else "")


def _cond(cond: dict | None) -> str:
    return escape(
        ", ".join(
            f"{d}: {' or '.join(v) if isinstance(v, list) else v}" for d, v in (cond or {}).items()
        )
    )
