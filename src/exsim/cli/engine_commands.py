"""Headless commands: validate, describe, graph, run, schema."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from exsim.cli import Fail, echo, load, main, write_file
from exsim.engine import Campaign, GameError, ScenarioError, open_campaign
from exsim.engine.compare import compare, play_record
from exsim.engine.effects import has_effect
from exsim.engine.explore import path_warnings
from exsim.engine.game import Game
from exsim.scenario.model import Decision, Option

if TYPE_CHECKING:
    pass


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """Check scenario FILES: shape, references, citations, reachability, every path's ending.

    Each problem is printed as FILE:LINE:COLUMN: KEY.PATH: MESSAGE, in file order.
    Exit status 1 if any file has a problem.
    """
    failed = 0
    for name in files:
        try:
            campaign = open_campaign(name)
        except ScenarioError as exc:
            failed += 1
            echo(str(exc), err=True)
            continue
        echo(f"{name}: ok ({campaign.id} {campaign.version}, {len(campaign.steps)} steps)")
        for warning in path_warnings(campaign):
            echo(str(warning))
    if failed:
        raise Fail(f"{failed} of {len(files)} file(s) have problems")


@main.command()
@click.argument("scenario")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--phase", metavar="PHASE", help="With --states: the phase to preview.")
@click.option(
    "--states",
    is_flag=True,
    help="Every variant of PHASE's texts (situation, briefings, decisions' context) a player "
    "could be shown, with the states that show it.",
)
def describe(scenario: str, as_json: bool, phase: str | None, states: bool) -> None:
    """List SCENARIO's roles, phases, decisions, options and triggers.

    With --phase PHASE --states: each text of that phase in every variant a player could
    get, with the game states (of the dimensions its texts read) that show it.
    """
    if phase is not None or states:
        if phase is None or not states or as_json:
            raise Fail("--phase PHASE and --states go together (and without --json)")
        _describe_states(load(scenario), phase)
        return
    campaign = load(scenario)
    s = campaign.scenario
    if as_json:
        echo(json.dumps(s.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    echo(f"{s.title} ({s.id}, version {s.version})\n")
    echo("Roles:")
    for r in s.roles:
        why = f": {r.advisor_because}" if r.advisor_because else ""
        advisor = f" (advisor only{why})"
        echo(f"  {r.id:<16} {r.name}, {r.office}{'' if r.playable else advisor}")
    echo("\nPhases and decisions:")
    for p in s.phases:
        when = f"{p.date}{' ' + p.time if p.time else ''}"
        only = f"  (only if {_condition(p.when)})" if p.when else ""
        echo(f"  {p.id:<16} {when}  {p.title}{only}")
        for d in p.decisions:
            idle = " [discussion item]" if d.discussion_item else ""
            idle = idle or ("" if has_effect(d) else " [changes nothing]")
            echo(f"    {d.id:<18} {d.title} (choose {d.select}){idle}")
            for group in d.exclusive:
                echo(f"      at most one of: {', '.join(group)}")
            for o in d.options:
                moves = f"  → {', '.join(o.triggers)}" if o.triggers else ""
                alone = " (taken alone)" if o.alone else ""
                echo(f"      {o.id:<20} {o.label}{alone}{moves}")
                where = _offered(campaign, o)
                if where:
                    echo(f"      {'':<20} {where}")
            echo(f"      {_arguments(d)}")
    one_sided = [d.id for p in s.phases for d in p.decisions if len(_sides(d)) < 2]
    echo(
        f"\nArguments: {sum(len(p.decisions) for p in s.phases) - len(one_sided)} decisions "
        "argued on two sides or more" + (f"; fewer on: {', '.join(one_sided)}" if one_sided else "")
    )
    decisions = [d for p in s.phases for d in p.decisions]
    counted = sum(has_effect(d) for d in decisions)
    items = [d.id for d in decisions if d.discussion_item]
    unused = [d.id for d in decisions if not has_effect(d) and not d.discussion_item]
    echo(f"\nDecisions with consequences: {counted} of {len(decisions)}")
    echo(f"  discussion items (declared): {', '.join(items) or 'none'}")
    echo(f"  changing nothing, not declared: {', '.join(unused) or 'none'}")
    echo("\nPolicy dimensions:")
    for dim in s.machine.dimensions:
        ids = " / ".join(st.id for st in dim.states)
        known = campaign.dimension_known_from[dim.id]
        echo(f"  {dim.id:<16} {ids} (starts {dim.initial}; known from {known})")
    if s.machine.guards:
        echo("\nGuards:")
    for g in s.machine.guards:
        kind = "simulated: the game's own rule" if g.simulated else f"record: {', '.join(g.cite)}"
        rule = (
            f"only if {_condition(g.when or {})}"
            if g.unless is None
            else f"not if {_condition(g.unless)}"
        )
        echo(f"  {g.id:<22} {rule}  ({kind})")
    if s.machine.next_moves:
        echo("\nThe group's policy, its next moves:")
    for n in s.machine.next_moves:
        echo(f"  {n.id:<22} {n.move} when {_condition(n.when)}  (record: {', '.join(n.cite)})")
    echo("\nTriggers:")
    for t in s.machine.triggers:
        guards = f"  if {', '.join(t.guards)}" if t.guards else ""
        echo(f"  {t.id:<22} {t.dimension}: {', '.join(t.source)} → {t.dest}{guards}")


def _describe_states(campaign: Campaign, phase_id: str) -> None:
    from exsim.engine.variants import phase_variants

    try:
        read, parts = phase_variants(campaign, phase_id)
    except LookupError as exc:
        raise Fail(str(exc)) from None
    phase = next(p for p in campaign.scenario.phases if p.id == phase_id)
    echo(f"{phase.title} ({phase.id}, {phase.date}): its texts in every state a game shows them")
    echo(f"States are told by the dimensions its texts read: {', '.join(read) or 'none'}.")
    for part in parts:
        echo(f"\n{part.title}")
        if not part.variants:
            echo("  never shown: no game reaches it")
        for variant in part.variants:
            echo(f"  in {_states(variant.states)}:")
            for line in variant.texts or ("(nothing)",):
                echo(f"    - {line}")


def _states(states: tuple[dict[str, str], ...]) -> str:
    """A group of states, as the values each dimension takes in them."""
    if not states or not states[0]:
        return "every state"
    values = {d: sorted({st[d] for st in states}) for d in states[0]}
    shown = "; ".join(f"{d} {' or '.join(v)}" for d, v in values.items())
    return f"{len(states)} state{'s' if len(states) > 1 else ''} ({shown})"


def _sides(d: Decision) -> set[str]:
    """The options *d*'s arguments back, recorded or reconstructed."""
    return {o for a in (d.record.advocates if d.record else []) for o in a.options}


def _arguments(d: Decision) -> str:
    """'arguments: 3 recorded, 2 reconstructed (the game's); sides: keep_flying, suspend'."""
    advocates = d.record.advocates if d.record else []
    made = sum(1 for a in advocates if a.reconstructed)
    sides = [o.id for o in d.options if o.id in _sides(d)]
    return (
        f"arguments: {len(advocates) - made} recorded, {made} reconstructed (the game's); "
        f"sides: {', '.join(sides) or 'none'}"
    )


def _offered(campaign: Campaign, option: Option) -> str:
    """Where *option* is offered (`Campaign.applies_from`), said for `describe`; '' if
    everywhere."""
    starts = campaign.applies_from(option)
    if starts is None:
        return "(never offered: its moves cannot follow one another)"
    states = {d.id: len(d.states) for d in campaign.scenario.machine.dimensions}
    narrowed = {d: v for d, v in starts.items() if len(v) < states[d]}
    return f"(offered only where {_condition(narrowed)})" if narrowed else ""


def _condition(cond: dict) -> str:
    return ", ".join(
        f"{dim} {' or '.join(states) if isinstance(states, list) else states}"
        for dim, states in cond.items()
    )


@main.command()
@click.argument("scenario")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["mermaid", "dot", "html"]),
    default="mermaid",
    show_default=True,
)
@click.option("-o", "--output", help="File to write (default: print).")
@click.option("--force", is_flag=True, help="Overwrite the file if it exists.")
def graph(scenario: str, fmt: str, output: str | None, force: bool) -> None:
    """Draw SCENARIO's policy machine, or (html) a map of its branches.

    mermaid prints Markdown with one diagram per dimension (GitHub and many editors draw it;
    or paste it into mermaid.live). dot prints one Graphviz graph: draw it with
    `exsim graph SCENARIO --format dot | dot -Tsvg > machine.svg`. html is a page to open in
    a browser: every phase, decision, option, counterpart's answer and ending, the record
    path marked and what no game reaches shown as never reached
    (`exsim graph SCENARIO --format html -o map.html`).
    """
    campaign = load(scenario)
    if fmt == "html":
        from exsim.report.branchmap import branch_map, walked

        text = branch_map(campaign, walked(campaign))
    else:
        from exsim.engine.diagram import render

        text = render(campaign.scenario, "dot" if fmt == "dot" else "mermaid")
    if output is None:
        echo(text)
        return
    write_file(output, text, force)  # the one rule for every command that writes
    echo(f"wrote {output}")


@main.command()
@click.argument("scenario")
@click.option("--script", type=click.Path(dir_okay=False), help="A play script (YAML).")
@click.option("--record", is_flag=True, help="Play the choices the record shows.")
@click.option("--seed", type=int, help="Seed for counterpart draws (default: script's, else 0).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def run(scenario: str, script: str | None, record: bool, seed: int | None, as_json: bool) -> None:
    """Play SCENARIO headless from a --script, or the --record; print state, log, comparison.

    A script is a YAML file naming each decision in agenda order (the ids are
    listed by `exsim describe SCENARIO`; the ids below are examples):

    \b
      scenario: november_1962      # optional: refuse other scenarios
      seed: 7                      # optional; --seed overrides it
      mode: what-if                # or historical (counterparts answer as on record)
      decisions:
        - decision: il28_pressure
          choose: [quarantine_stays]   # one option id, or a list where several may be taken
          by: president                # optional: the role deciding (default: the chair)
          recommendations: {rusk: quarantine_stays}
      responses: {soviet_reply: agrees}   # optional: force a counterpart's answer

    A scripted decision that is not on this game's agenda (its condition does not
    hold) is passed over. Same scenario, script and seed give the same output.
    Exit status 1 on any problem.
    """
    from exsim.engine.script import play_script, read_script

    if bool(script) == record:
        raise Fail("give either --script PLAY.yaml or --record")
    campaign = load(scenario)
    try:
        if script is None:
            game = play_record(campaign, seed or 0)
        else:
            game = play_script(campaign, read_script(script), seed)
    except ScenarioError as exc:
        raise Fail(f"{len(exc.problems)} problem(s) in the script:\n{exc}") from None
    except GameError as exc:
        raise Fail(str(exc)) from None
    if as_json:
        echo(json.dumps(game_json(game), indent=2, ensure_ascii=False))
    else:
        _print_text(game)


@main.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format."""
    from exsim.scenario.schema import schema_text

    echo(schema_text(), nl=False)


def game_json(game: Game) -> dict:
    """A finished game as plain data: deterministic for the same scenario, moves and seed."""
    return {
        "scenario": game.campaign.id,
        "version": game.campaign.version,
        "seed": game.seed,
        "mode": game.mode,
        "state": game.state,
        "pressure": game.pressure,
        "ending": game.ending.id if game.ending else None,
        "ending_simulated": bool(game.ending and game.ending.simulated),
        "finished": game.finished,
        "log": [e.to_dict() for e in game.log],
        "comparison": compare(game).to_dict(),
    }


def _print_text(game: Game) -> None:
    c = game.campaign
    comparison = compare(game)
    if game.finished:
        echo(f"{c.scenario.title}: played to the end (seed {game.seed}, {game.mode})\n")
    else:
        echo(f"{c.scenario.title}: the record, as far as it goes (seed {game.seed})\n")
    echo("Log:")
    for e in game.log:
        if e.kind == "skipped":
            echo(f"  {e.date}  {e.step}: not on the agenda")
            continue
        tag = " [simulated]" if e.simulated else ""
        who = f" by {e.by}" if e.by else ""
        echo(f"  {e.date}  {e.step}: {', '.join(e.chosen)}{who}{tag}")
        for ch in e.changes:
            if ch.source != ch.dest:  # a move that leaves a dimension where it was says nothing
                echo(f"      {ch.dimension}: {ch.source} → {ch.dest}")
    echo("\nFinal state:")
    for dim, value in game.state.items():
        echo(f"  {dim:<16} {value}")
    echo(f"  {'pressure':<16} {', '.join(game.pressure) or 'none'}")
    echo("\nBeside the record:")
    for row in comparison.decisions:
        if row.record is None:
            if row.gap and row.chosen is not None:
                echo(f"  {row.decision:<22} {'':<11} the record does not say: {row.gap}")
            continue
        mark = {True: "same", False: "DIFFERENT", None: "not reached"}[row.matches]
        cites = c.cites_text(row.cite)
        echo(f"  {row.decision:<22} {mark:<11} record: {', '.join(row.record)}{cites}")
    if not game.finished:
        decision = game.open_decision
        gap = c.record_gap(decision)
        cites = c.cites_text(decision.record.cite if decision.record else ())
        echo(
            f"\nThe record stops at {decision.id!r} ({game.date}): the record does not say "
            f"what was decided: {gap}{cites}"
        )
        echo("Nothing after it can be set beside the record; play on with --script.")
        return
    ending = game.ending
    simulated = " (simulated)" if ending and ending.simulated else ""
    echo(f"\nOutcome: {ending.title if ending else 'none'}{simulated}")
    if comparison.record_stops:
        echo(
            f"Record's outcome: not known; the record path stops at {comparison.record_stops!r}, "
            "where the record does not say what was decided"
        )
    else:
        titles = {e.id: e.title for e in c.scenario.endings}
        echo(f"Record's outcome: {titles.get(comparison.record_ending or '', 'none')}")
    echo(f"Divergence from the record: {comparison.divergence}")
