"""Debriefs and class reports as documents: Markdown, standalone printable HTML, and JSON.

HTML is the Markdown rendered by markdown-it-py inside one page with its own print styles:
no scripts, fonts or links to fetch; every mark is text, so it reads without colour.
"""

from __future__ import annotations

import datetime as dt
import html as htmlmod
import json
import re

from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.anchors.index import slugify
from pydantic import BaseModel

from exsim.paths import scenario_name
from exsim.quoting import quote_parts
from exsim.report.classes import ClassReport
from exsim.report.debrief import DISCUSSION_ITEM, Choice, Cite, Debrief, decided_by

MARKS = {
    "same": "✓ same as the record",
    "different": "✗ differs from the record",
    "not reached": "– not reached in this game",
    "no record": "· the record does not say",
}
SIMULATED = "(simulated — not what happened)"


def esc(text: str) -> str:
    """Text from the scenario or the players, safe inside Markdown (and table cells)."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", " ".join(str(text).split()))


def cites(items: list[Cite]) -> str:
    """' [A; B]', each citation a link: to its paragraph's own words under "The cited
    passages" when the debrief has them, else to the list of sources."""
    return f" [{'; '.join(cite_link(c) for c in items)}]" if items else ""


def cite_link(c: Cite) -> str:
    if c.passage:
        target = slugify(c.text)
    elif c.in_register:
        target = slugify(register_heading(c.text.partition(" ¶")[0]))
    else:
        target = "sources"
    return f"[{esc(c.text)}](#{target})"


def register_heading(short: str) -> str:
    """The heading of a document's register entry, which its citations link to."""
    return f"Register: {short}"


def labels(choice: Choice | None) -> str:
    return "; ".join(esc(x) for x in choice.labels) if choice else "—"


def day(iso: str) -> str:
    """'1962-11-13' as '13 November 1962'."""
    d = dt.date.fromisoformat(iso)
    return f"{d.day} {d:%B %Y}"


def percent(score: float | None) -> str:
    return "—" if score is None else f"{round(score * 100)}%"


def markdown(d: Debrief) -> str:
    """The debrief as a Markdown document."""
    out: list[str] = []
    add = out.append
    who = esc(d.group) if d.group else "A game"
    add(f"# Debrief: {who} — {esc(d.scenario_title)}\n")
    facts = [
        f"Session {d.session}" if d.session else None,
        f"scenario {esc(scenario_name(d.scenario))} version {esc(d.version)}",
        f"{d.mode} mode",
        {"chair": "the chair decides", "vote": "the players vote"}.get(d.rule or ""),
        f"seed {d.seed}",
        f"last played {esc(d.updated[:16].replace('T', ' '))} UTC" if d.updated else None,
        "finished" if d.finished else "not finished: the debrief covers play so far",
    ]
    add(" · ".join(f for f in facts if f) + "\n")
    add(
        f"**{d.decisions_same} of {d.decisions_compared}** decisions the same as the record's; "
        f"points where the game left the record: **{d.left_the_record()}**.\n"
    )
    if d.players:
        add("## The group\n")
        add("| Role | Office | Played by |\n|---|---|---|")
        for p in d.players:
            add(f"| {esc(p.role_name)} | {esc(p.office)} | {esc(p.player or '—')} |")
        add("")
    add("## Decisions beside the record\n")
    for row in d.decisions:
        add(f"### {row.number}. {esc(row.title)}\n")
        add(f"*{esc(row.phase)}, {day(row.date)}.* {esc(row.question)}\n")
        if row.discussion_item:
            add(f"*{DISCUSSION_ITEM}*\n")
        by = f" (decided by {esc(decided_by(row))})" if row.decided_by_name else ""
        if row.chosen is None:
            add(f"- **The group's choice:** {MARKS[row.status]}")
        else:
            add(f"- **The group's choice:** {labels(row.chosen)}{by} — **{MARKS[row.status]}**")
        if row.record:
            add(
                f"- **In the record:** {labels(row.record)}. "
                f"{esc(row.record_summary or '')}{cites(row.record_cites)}"
            )
        if row.record_gap and not row.record:
            add(f"- **The record does not say:** {esc(row.record_gap)}{cites(row.record_cites)}")
        elif row.record_gap:
            add(f"- **Gap in the record:** {esc(row.record_gap)}")
        if row.only_option:
            add("- *Only this option was open in this game: not a free choice, so not scored.*")
        add("")
        if row.recommendations:
            add(
                "| Player (role) | Recommended | The person argued | Beside the argument |\n"
                "|---|---|---|---|"
            )
            for r in row.recommendations:
                unscored = "· only option open" if row.only_option else "· none recorded that day"
                mark = {True: "✓ as argued", False: "✗ differs", None: unscored}
                name = f"{esc(r.player)} ({esc(r.role_name)})" if r.player else esc(r.role_name)
                add(
                    f"| {name} | {labels(r.recommended)} | {labels(r.argued)} | {mark[r.aligned]} |"
                )
            add("")
            for r in row.recommendations:
                if r.reason:
                    add(f"- *{esc(r.player or r.role_name)}'s reason:* {esc(r.reason)}")
            if any(r.reason for r in row.recommendations):
                add("")
        if row.positions:
            add("Who argued what:\n")
            for pos in row.positions:
                before, words, after = quote_parts(pos.position, pos.quote)
                said = f"{esc(before)}“{esc(words)}”{esc(after)}" if words else esc(before)
                tag = f" *({esc(pos.note)})*" if pos.note else ""
                add(f"- {esc(pos.role_name)}{tag}: {said}{cites(pos.cites)}")
            add("")
    if d.responses:
        add("## Counterpart answers\n")
        for resp in d.responses:
            tag = f" **{SIMULATED}**" if resp.simulated else ""
            why = (
                f" Why plausible: {esc(resp.rationale)}"
                if resp.simulated and resp.rationale
                else ""
            )
            forced = " (set by the instructor)" if resp.forced else ""
            add(
                f"- {day(resp.date)} — {esc(resp.title)}: {esc(resp.text)}{tag}{forced}{why}"
                f"{cites(resp.cites)}"
            )
        add("")
    add("## The outcome beside the record\n")
    add(f"- **This game:** {_ending(d.outcome.ending)}")
    if d.outcome.record_stops:
        add(
            "- **The record's choices lead to:** not known: the record does not say what was "
            f"decided at {esc(d.outcome.record_stops)}"
        )
    else:
        add(f"- **The record's choices lead to:** {_ending(d.outcome.record)}")
    if d.outcome.same is not None:
        add(f"- {'✓ the same outcome' if d.outcome.same else '✗ a different outcome'}")
    add("")
    if d.outcome.measures:
        add("| Measure | This game | The record | Same? |\n|---|---|---|---|")
        for m in d.outcome.measures:
            same = {True: "✓ same", False: "✗ differs", None: "·"}[m.same]
            tag = " \\*" if m.simulated else ""
            record = f"{esc(m.record_shown or '—')}{cites(m.cites)}"
            add(f"| {esc(m.label)} | {esc(m.shown or '—')}{tag} | {record} | {same} |")
        notes = [m for m in d.outcome.measures if m.note]
        add("")
        if any(m.simulated for m in d.outcome.measures):  # said once for the table
            add("\\* set by a SIMULATED answer, not by the decisions alone.\n")
        for m in notes:
            add(f"- *{esc(m.label)}:* {esc(m.note or '')}")
        if notes:
            add("")
    if d.events:
        add("## Events without a decision\n")
        heading = None
        for a in d.events:
            if heading != (a.phase, a.date):
                if heading is not None:
                    add("")
                heading = (a.phase, a.date)
                add(f"**{esc(a.phase)}**, {day(a.date)}\n")
            tag = f"**{SIMULATED}:** " if a.simulated else ""
            quote = f" “{esc(a.quote)}”" if a.quote and a.quote not in a.text else ""
            add(f"- {tag}{esc(a.text)}{quote}{cites(a.cites)}")
        add("")
    if d.aftermath:
        add("## After the game: the record, and where the documents stop\n")
        for a in d.aftermath:
            tag = "**Hindsight, not known at the time:** " if a.hindsight else ""
            tag = f"**{SIMULATED}:** " if a.simulated else tag
            quote = f" “{esc(a.quote)}”" if a.quote and a.quote not in a.text else ""
            add(f"- {tag}{esc(a.text)}{quote}{cites(a.cites)}")
        add("")
    if d.alignment:
        add("## Alignment with the person each player played\n")
        add("| Role | Player | Aligned | Counted decisions |\n|---|---|---|---|")
        for al in d.alignment:
            add(
                f"| {esc(al.role_name)} | {esc(al.player or '—')} | {percent(al.score)} "
                f"| {al.aligned} of {al.counted} |"
            )
        add("")
    if d.messages:
        add("## The facilitator's messages\n")
        for message in d.messages:
            to = "to the whole class" if message.to_all else "to this group"
            when = f"round {message.round}" if message.round else "before the first round"
            add(f"- {when}, {esc(message.at[11:16])} UTC, {to}: {esc(message.text)}")
        add("")
    questions = [(row, q) for row in d.decisions for q in row.discussion]
    if questions:
        add("## For discussion: where play left the record\n")
        for n, (row, q) in enumerate(questions, 1):
            add(f"{n}. *{esc(row.title)}:* {esc(q)}")
        add("")
    _sources(add, d.sources)
    _register(add, d)
    _passages(add, d)
    return "\n".join(out)


def _passages(add, d: Debrief) -> None:
    """The cited paragraphs in their own words, each under a heading its citations link to."""
    if not d.passages:
        return
    add("## The cited passages\n")
    add("The paragraphs cited above, in the words of the documents themselves.\n")
    titles = {s.id: f"{s.short}: {s.title}" for s in d.sources}
    source = None
    for p in d.passages:
        if p.source != source:
            source = p.source
            add(f"### {esc(titles[source])}\n")
        add(f"#### {esc(p.text)}\n")
        add(f"{esc(p.words)}\n")


def _register(add, d: Debrief) -> None:
    """The register entries of the cited documents whose texts are not shipped."""
    entries = [s for s in d.sources if s.cited and s.gist]
    if not entries:
        return
    add("## Document register\n")
    add(
        "The documents cited above whose texts do not come with the game: what each records, "
        "in the game's words, and where that summary comes from.\n"
    )
    for s in entries:
        add(f"### {esc(register_heading(s.short))}\n")
        when = day(s.date) + (f", {esc(s.time)}" if s.time else "")
        add(f"- **{esc(s.title)}**")
        add(f"- Heading: {esc(s.heading) if s.heading else 'not given in the sources used'}")
        add(f"- Date: {when}")
        if s.participants:
            add(f"- Participants: {esc(', '.join(s.participants))}")
        add(f"- {esc(s.reference)}\n")
        add(f"{esc(s.gist or '')}" + (f" (From {esc(s.gist_from)}.)" if s.gist_from else "") + "\n")


def _ending(e) -> str:
    if e is None:
        return "not finished yet"
    tag = f" **{SIMULATED}**" if e.simulated else ""
    return f"{esc(e.title)}. {esc(e.text)}{tag}{cites(e.cites)}"


def _sources(add, sources) -> None:
    add("## Sources\n")
    for s in sources:
        add(f"- **{esc(s.short)}**: {esc(s.reference)} ({day(s.date)})")
    add("")


def class_markdown(r: ClassReport) -> str:
    """The class comparison as a Markdown document."""
    out: list[str] = []
    add = out.append
    add(f"# Class comparison — {esc(r.scenario_title)}\n")
    add(
        f"{r.groups} group(s) · scenario {esc(scenario_name(r.scenario))} "
        f"version {esc(r.version)} · "
        f"{r.finished} finished · ✓ marks the record's choice\n"
    )
    if r.left_out:
        add("Left out of the comparison:\n")
        for s in r.left_out:
            add(f"- {s.session} ({esc(s.group)}): {esc(s.reason)}")
        add("")
    if r.departures:
        add("## Where groups left the record, most-left first\n")
        for p in r.departures:
            add(
                f"- **{esc(p.title)}**: {p.left} of {p.reached} group(s) "
                f"({percent(p.share)}) chose otherwise than ExComm"
            )
            for q in p.discussion:
                add(f"  - {esc(q)}")
        add("")
    add("## Decision by decision\n")
    for d in r.decisions:
        add(f"### {d.number}. {esc(d.title)}\n")
        add(
            f"{d.reached} of {r.groups} group(s) reached it; {d.same} chose as ExComm did"
            f"{cites(d.record_cites)}.\n"
        )
        add("| Option | Groups | Share | Chosen by | Record |\n|---|---|---|---|---|")
        for o in d.options:
            mark = "✓ the record's choice" if o.record else ""
            who = esc(", ".join(o.chosen_by))
            add(f"| {esc(o.label)} | {o.groups} | {_bar(o.groups, d.reached)} | {who} | {mark} |")
        add("")
        if d.reasons:
            add("Reasons given with recommendations:\n")
            for w in d.reasons:
                who = f"{esc(w.player)} ({esc(w.role_name)})" if w.player else esc(w.role_name)
                add(
                    f"- {esc(w.group)}, {who}, for {esc('; '.join(w.recommended))}: {esc(w.reason)}"
                )
            add("")
    add("## Outcomes beside the record\n")
    add("| Outcome | Groups | Share | Notes |\n|---|---|---|---|")
    for e in r.endings:
        tags = [
            t for t, on in (("✓ the record's outcome", e.record), ("simulated", e.simulated)) if on
        ]
        add(f"| {esc(e.title)} | {e.groups} | {_bar(e.groups, r.finished)} | {'; '.join(tags)} |")
    add("")
    for m in r.measures:
        add(f"**{esc(m.label)}** — the record: {esc(m.record_shown or '—')}{cites(m.cites)}\n")
        for v in m.values:
            mark = " · ✓ the record's" if v.record else ""
            bar = _bar(v.groups, r.finished)
            add(f"- {esc(v.shown)}: {v.groups} group(s){' ' * bool(bar)}{bar}{mark}")
        add("")
    for resp in r.responses:
        add(f"**{esc(resp.title)}** ({esc(resp.actor)}):\n")
        for drawn in resp.outcomes:
            tag = "✓ what happened" if not drawn.simulated else "simulated"
            add(f"- {esc(drawn.text)} — {drawn.groups} group(s) · {tag}{cites(drawn.cites)}")
        add("")
    if r.alignment:
        add("## Alignment with the person played, across groups\n")
        add("| Role | Groups | Mean | Lowest | Highest |\n|---|---|---|---|---|")
        for a in r.alignment:
            add(
                f"| {esc(a.role_name)} | {a.groups} | {percent(a.mean)} | {percent(a.low)} "
                f"| {percent(a.high)} |"
            )
        add("")
    add("## Groups\n")
    add("| Session | Group | Decisions | Same as ExComm | Outcome |\n|---|---|---|---|---|")
    for g in r.sessions:
        outcome = esc(g.ending or "not finished") + (" (simulated)" if g.ending_simulated else "")
        add(f"| {g.session} | {esc(g.group)} | {g.decisions} | {g.same} | {outcome} |")
    add("")
    _sources(add, r.sources)
    return "\n".join(out)


def _bar(n: int, total: int, width: int = 20) -> str:
    return "█" * round(width * n / total) if total else ""


CSS = """
body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; color: #000; background: #fff;
       max-width: 46em; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; border-bottom: 2px solid #000; padding-bottom: .2em; }
h1 ~ h1 { break-before: page; page-break-before: always; }
h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #000; }
h3 { font-size: 1.05em; margin-top: 1.3em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0; font-size: .95em; }
th, td { border: 1px solid #000; padding: .25em .45em; text-align: left; vertical-align: top; }
th { background: #eee; }
em { font-style: italic; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  table, li { break-inside: avoid; page-break-inside: avoid; }
  th { background: none; }
}
"""


def html(md: str, title: str) -> str:
    """A standalone printable page from Markdown *md*: no raw HTML or images, and no links but
    those within the page (a citation to its passage); headings get ids to link to.

    The text comes from scenario files and imported sessions; with only `#…` links valid, a
    `[a](//evil.example)` that escaped `esc` still shows as text, never as a live link.
    """
    parser = MarkdownIt("commonmark", {"html": False}).enable("table")
    parser.disable(["image", "autolink", "reference"]).use(anchors_plugin, min_level=2, max_level=4)
    parser.validateLink = lambda url: url.startswith("#")  # type: ignore[method-assign]
    body = parser.render(md)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{htmlmod.escape(title)}</title>\n"
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n"
    )


def as_json(model: BaseModel) -> str:
    return json.dumps(model.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def document(model: Debrief | ClassReport, fmt: str) -> str:
    """*model* in format md, html or json."""
    if fmt == "json":
        return as_json(model)
    if isinstance(model, Debrief):
        md = markdown(model)
        title = f"Debrief: {model.group or model.session or 'game'} — {model.scenario_title}"
    else:
        md = class_markdown(model)
        title = f"Class comparison — {model.scenario_title}"
    return md if fmt == "md" else html(md, title)
