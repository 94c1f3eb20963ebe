"""Commands over many games: simulate (outcome spread of a policy) and explore (every path)."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import sys
from pathlib import Path

import click

from exsim import files, fit, paths
from exsim.cli import Fail, echo, load, main, write_file
from exsim.engine import Campaign, ScenarioError
from exsim.engine.compare import play_record
from exsim.engine.explore import MAX_NODES, explore
from exsim.engine.measures import debrief
from exsim.engine.simulate import Distribution, read_policy, record_plan, simulate, sorted_counts
from exsim.terminal import printable

SIMULATED = "SIMULATED: what-if games drawn by the scenario's weights, not the record"


@main.command("simulate")
@click.argument("scenario", default=paths.DEFAULT_SCENARIO)
@click.option(
    "--policy",
    "policy_file",
    type=click.Path(dir_okay=False),
    help="Policy file (YAML). Default: the record's choices.",
)
@click.option("--runs", type=click.IntRange(1, 10_000_000), default=10_000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same counts.")
@click.option(
    "--jobs", type=click.IntRange(1, 256), default=1, show_default=True, help="Processes to use."
)
@click.option(
    "--out",
    help="Also write the results to FILE: .csv or .json.",
)
@click.option("--force", is_flag=True, help="Overwrite the --out file if it exists.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of the table.")
def simulate_command(
    scenario: str,
    policy_file: str | None,
    runs: int,
    seed: int,
    jobs: int,
    out: str | None,
    force: bool,
    as_json: bool,
) -> None:
    """Play RUNS what-if games of SCENARIO under a fixed policy; show the spread of outcomes.

    \b
    A policy file names the option(s) taken at each decision:
      scenario: november_1962      # optional: refuse another scenario
      label: Pressure first        # optional name in reports
      mode: what-if                # or historical: recorded answers where possible
      decisions:
        pledge: withhold           # one option
        pressure: [tighten, oas]   # several, where the decision takes many
      family:                      # optional: alternatives; every combination is played
        lift: [lift, keep]

    Decisions the file leaves out take the record's choice. When a policy's choice does not
    apply in a game (tighten a lifted quarantine) or the policy machine refuses it, that game
    takes the record's choice (else the first allowed option) and is counted as a fallback.
    Every outcome shown is simulated. With the same --seed the counts are the same, whatever
    --jobs.
    """
    if out and Path(out).suffix.lower() not in {".csv", ".json"}:
        raise Fail(f"--out {out}: name a .csv or .json file")
    if out:
        try:
            files.writable(out, force)  # refused now, not after the games
        except files.FileRefused as exc:
            raise Fail(f"{out}: {exc}") from None
    campaign = load(scenario)
    try:
        plans = read_policy(policy_file, campaign) if policy_file else [record_plan(campaign)]
    except ScenarioError as exc:
        raise Fail(f"{len(exc.problems)} problem(s) in the policy file:\n{exc}") from None
    results = []
    total = runs * len(plans)
    bar = (
        click.progressbar(length=total, label="Simulating", file=sys.stderr, show_pos=True)
        if sys.stderr.isatty()
        else contextlib.nullcontext()
    )
    with bar as shown:
        for plan in plans:
            progress = shown.update if shown else None
            results.append(simulate(campaign, plan, runs, seed, jobs, progress=progress))
    if out:
        _write(Path(out), results, force)
    if as_json:
        echo(json.dumps(_json(results), indent=2, ensure_ascii=False))
    else:
        _print_table(campaign, results)
        if out:
            echo(f"\nWritten: {out}")


def _json(results: list[Distribution]) -> dict:
    return {"simulated": True, "note": SIMULATED, "policies": [d.to_dict() for d in results]}


def _write(path: Path, results: list[Distribution], force: bool) -> None:
    if path.suffix.lower() == ".json":
        text = json.dumps(_json(results), indent=2, ensure_ascii=False) + "\n"
    else:
        fields = ["policy", "kind", "id", "label", "value", "shown", "games", "share"]
        fields += ["record", "is_record", "simulated"]
        table = io.StringIO()
        writer = csv.DictWriter(table, fields, extrasaction="ignore")
        writer.writeheader()
        for d in results:
            writer.writerows(d.rows())
        text = table.getvalue()
    write_file(path, text, force)


def _print_table(campaign: Campaign, results: list[Distribution]) -> None:
    import plotext as plt

    first = results[0]
    echo(fit.paragraph(f"{SIMULATED}."))
    about = (
        f"{campaign.scenario.title} ({paths.scenario_name(campaign.id)}, version "
        f"{campaign.version}), {first.runs:,} games per policy, seed {first.seed}, "
        f"{first.plan.mode} mode"
    )
    echo(fit.paragraph(about) + "\n")
    cite = campaign.cite_text
    for d in results:
        click.secho(printable(f"Policy: {d.plan.label}"), bold=True)
        echo(f"  {'':<44} {'games':>9} {'share':>7}")
        label = None
        for row in d.rows():
            if row["label"] != label:
                label = row["label"]
                echo(fit.paragraph(label, indent=2))
            lines = fit.rows(row["shown"], 42, f"{row['games']:>9,} {row['share']:>7.1%}")
            lines = [f"    {line}" for line in lines]
            if row["is_record"]:
                cites = "; ".join(cite(c) for c in row.get("cite") or row.get("record_cite", []))
                mark = f"= the record [{cites}]" if cites else "= the record"
                if len(lines[0]) + 2 + len(mark) <= 80:
                    lines[0] += f"  {mark}"
                else:
                    lines.insert(1, fit.paragraph(mark, indent=6))
            echo("\n".join(lines))
        for m in campaign.scenario.measures:
            if m.record and not any(r["is_record"] for r in d.rows() if r["id"] == m.id):
                shown = next(r["record_shown"] for r in d.rows() if r["id"] == m.id)
                cites = "; ".join(cite(c) for c in m.record.cite)
                said = f"{m.label}: the record's value, {shown} [{cites}], never occurs"
                echo(fit.paragraph(said, indent=2))
        if d.fallbacks():
            said = (
                f"{d.fallbacks():,} game(s) fell back to another option where this policy's "
                "choice did not apply or the policy machine refused it"
            )
            echo(fit.paragraph(said, indent=2))
        endings = {e.id: e.title for e in campaign.scenario.endings}
        shares = [
            (endings.get(k, "no ending"), n / d.runs * 100) for k, n in sorted_counts(d.endings())
        ]
        plt.clear_figure()
        plt.simple_bar(
            [fit.shortened(printable(s[0]), 30) for s in shares],
            [round(s[1], 1) for s in shares],
            width=min(shutil.get_terminal_size().columns, 80) - 1,  # plotext draws one more
            title="Outcomes, % of simulated games",
        )
        click.echo("\n" + plt.build())  # its labels made printable above; the colours are its own


@main.command("explore")
@click.argument("scenario", default=paths.DEFAULT_SCENARIO)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option(
    "--max-nodes",
    type=click.IntRange(1, None),
    default=MAX_NODES,
    show_default=True,
    help="Stop the walk (and fail) beyond this many game states.",
)
def explore_command(scenario: str, as_json: bool, max_nodes: int) -> None:
    """Walk every decision and response path of SCENARIO and check it; exit 1 on a violation.

    Reports reachable states, endings, unreachable options, invariants, dead ends, paths
    with no ending and record-labelled steps without a citation.
    """
    from exsim.scenario.loader import read_scenario

    try:
        campaign = Campaign(read_scenario(paths.resolve_scenario(scenario)))
    except LookupError as exc:
        raise Fail(str(exc)) from None
    except ScenarioError as exc:
        raise Fail(f"{len(exc.problems)} problem(s):\n{exc}") from None
    report = explore(campaign, max_nodes)
    found = _explore_json(campaign, report)
    if as_json:
        echo(json.dumps(found, indent=2, ensure_ascii=False))
    else:
        _print_explore(found)
    if found["violations"]:
        raise Fail(f"{len(found['violations'])} violation(s) in {campaign.file.path}")


def _explore_json(campaign: Campaign, report) -> dict:
    s = campaign.scenario
    endings = {e.id: e for e in s.endings}
    violations = [str(p) for p in report.problems]
    violations += _uncited(campaign, report)
    problems = " ".join(p.message for p in report.problems)
    unreached_states = {
        d.id: [st.id for st in d.states if st.id not in report.reachable.get(d.id, set())]
        for d in s.machine.dimensions
    }
    notes = []
    game = play_record(campaign) if not report.problems else None
    if game is not None and not game.finished:
        notes.append(
            f"the record path stops at {game.open_decision.id!r}: the record does not say what "
            f"was decided ({campaign.record_gap(game.open_decision)})"
        )
    elif game is not None and s.measures:
        for row in debrief(game):
            if row.record_shown is not None and row.value != row.record:
                notes.append(
                    f"measure {row.id}: playing the record gives {row.shown}; "
                    f"the scenario's record value is {row.record_shown}"
                    + (f" ({row.note})" if row.note else "")
                )
    return {
        "scenario": campaign.id,
        "version": campaign.version,
        "nodes": report.nodes,
        "paths": report.paths,
        "texts": report.texts,
        "texts_failing": report.texts_failing,
        "truncated": report.truncated,
        "stopped": str(report.stopped) if report.stopped else None,
        "proved_sound": not report.problems and (report.proved or not report.truncated),
        "endings": [
            {
                "id": k,
                "title": endings[k].title,
                "paths": n,
                "simulated": endings[k].simulated,
            }
            for k, n in report.endings.most_common()
        ],
        "endings_possible": [e.id for e in s.endings if e.id in report.possible],
        "paths_ending_without_citation": sum(
            n for k, n in report.endings.items() if not endings[k].cite
        ),
        "reachable": {d: sorted(v) for d, v in report.reachable.items()},
        "unreachable_states": {d: v for d, v in unreached_states.items() if v},
        "unreachable_options": [f"{d}.{o}" for d, o in report.unreachable_options(campaign)],
        "decisions_never_on_agenda": [
            d for d in campaign.decisions if d not in report.decisions_reached
        ],
        "invariants": [
            {
                "id": inv.id,
                "holds": f"invariant {inv.id!r} broken" not in problems,
                "reason": inv.reason,
            }
            for inv in s.machine.invariants
        ],
        "violations": violations,
        "notes": notes,
        "warnings": [str(w) for w in report.warnings],
    }


def _uncited(campaign: Campaign, report) -> list[str]:
    """Record-labelled steps on some path that carry no citation."""
    out = []
    for d in campaign.decisions.values():
        if d.record and d.id in report.decisions_reached and not d.record.cite:
            out.append(f"decision {d.id}: the record's choice has no citation")
    for r in campaign.scenario.responses:
        out += [
            f"response {r.id}: outcome {o.id} is record but has no citation"
            for o in r.outcomes
            if not o.simulated and not o.cite
        ]
    out += [
        f"ending {e.id}: record but no citation"
        for e in campaign.scenario.endings
        if e.id in report.endings and not e.simulated and not e.cite
    ]
    return out


def _print_explore(found: dict) -> None:
    name = f"{found['scenario']} {found['version']}"
    if not found["truncated"]:
        echo(f"{name}: every path walked")
    elif found["proved_sound"]:
        echo(
            f"{name}: every path proved sound by the quick walk; the exact walk stopped, "
            "so the counts below cover only the games it walked:"
        )
        echo(f"  {found['stopped']}")
    else:
        echo(f"{name}: the walk stopped before every path was walked (see Violations)")
    counted = "" if not found["truncated"] else "  (partial)"
    echo(f"  game states: {found['nodes']:,}   complete paths: {found['paths']:,}{counted}")
    failed = found["texts_failing"]
    echo(
        f"  texts checked: {found['texts']:,} on {found['paths']:,} paths{counted}; each shown "
        f"only where what it presumes holds: {'yes' if not failed else f'no, {failed} not'}"
    )
    if found["truncated"]:
        echo("\nEndings (paths among the games walked, from a sample: not shares of all games):")
    else:
        echo("\nEndings (paths):")
    for e in found["endings"]:
        tag = "simulated" if e["simulated"] else "record"
        echo(f"  {e['title']:<40} {e['paths']:>12,}  [{tag}]")
    if found["endings_possible"]:
        echo(f"  every ending some game reaches: {', '.join(found['endings_possible'])}")
    echo(f"  paths ending without a cited outcome: {found['paths_ending_without_citation']:,}")
    echo("\nReachable states:")
    for dim, states in found["reachable"].items():
        echo(f"  {dim:<18} {', '.join(states)}")
    for dim, states in found["unreachable_states"].items():
        echo(f"  never reached: {dim} {', '.join(states)}")
    options = found["unreachable_options"]
    echo(f"\nUnreachable options: {', '.join(options) or 'none'}")
    agenda = found["decisions_never_on_agenda"]
    echo(f"Decisions never on the agenda: {', '.join(agenda) or 'none'}")
    echo(f"\nInvariants:{'' if found['invariants'] else ' none'}")
    for inv in found["invariants"]:
        echo(f"  {inv['id']:<34} {'holds on every path' if inv['holds'] else 'BROKEN'}")
    for note in found["notes"]:
        echo(f"\nnote: {note}")
    for warning in found["warnings"]:
        echo(f"\n{warning}")
    echo(f"\nViolations: {len(found['violations']) or 'none'}")
    for v in found["violations"]:
        echo(f"  {v}")
