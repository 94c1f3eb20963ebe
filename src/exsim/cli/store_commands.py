"""Commands for saved games and documents: locate, sessions …, debrief, class-report."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys

import click

from exsim import files as safe_files
from exsim import paths
from exsim.cli import Fail, echo, load, main, write_file
from exsim.engine import Campaign
from exsim.engine.game import Game
from exsim.store import ScenarioChanged, Session, SessionStore, StoreError, transfer
from exsim.terminal import printable


def open_store() -> SessionStore:
    try:
        return SessionStore.open()
    except StoreError as exc:
        raise Fail(str(exc)) from None


def scenario_of(session: Session) -> Campaign | None:
    """The scenario file *session* belongs to as it is now, or None if it is gone."""
    try:
        path = paths.named_scenario(session.scenario_id)  # an id from the store, never a path
    except LookupError:
        return None
    return load(str(path))


def game_of(store: SessionStore, key: str, on_change: str | None = None) -> Game:
    """A session's game for documents: on the current scenario if unchanged, else as played.

    *on_change* "replay" moves the session to the scenario's new content first.
    """
    session = store.get(key)
    campaign = scenario_of(session)
    if campaign is None:
        return store.open_read_only(session.id)
    try:
        return store.resume(session.id, campaign)
    except ScenarioChanged:
        if on_change == "replay":
            return store.replay_on(session.id, campaign)
        return store.open_read_only(session.id)


def write_output(text: str, output: str | None, force: bool = False) -> None:
    """Print *text*, or write it to the file *output* (see `files.write_text`: a regular file,
    overwritten only with --force, atomically)."""
    if output in (None, "-"):
        echo(text, nl=not text.endswith("\n"))
        return
    write_file(output, text, force)
    echo(f"wrote {output}", err=True)


FORCE_OPTION = click.option("--force", is_flag=True, help="Overwrite the file if it exists.")


@main.command()
def locate() -> None:
    """Print where exsim keeps sessions and finds scenarios."""
    store = paths.store_file()
    state = "" if store.exists() else " (not created yet)"
    echo(f"data folder        {paths.data_dir()}")
    echo(f"session store      {store}{state}")
    echo(f"your scenarios     {paths.user_scenarios_dir()}")
    echo(f"bundled scenarios  {paths.BUNDLED_SCENARIOS}")
    echo(f"error reports      {paths.log_file()}")
    override = f"--data-dir or ${paths.DATA_DIR_ENV}"
    echo(f"\nChoose another data folder with {override}.")


JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")


@main.group(invoke_without_command=True)
@JSON_OPTION
@click.pass_context
def sessions(ctx: click.Context, as_json: bool) -> None:
    """List saved games (as `exsim sessions list`); resume, rename, delete, export or import one."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(list_sessions, as_json=as_json)


@sessions.command("list")
@JSON_OPTION
def list_sessions(as_json: bool) -> None:
    """List saved games, most recently played first."""
    with open_store() as store:
        found = store.list()
        if as_json:
            rows = [_summary(s) for s in found]
            echo(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not found:
            echo(f"No saved games in {paths.store_file()}. Start one with `exsim play`.")
            return
        table = [("ID", "GROUP", "SCENARIO", "PLAYERS", "PROGRESS", "LAST PLAYED")]
        for s in found:
            row = _summary(s)
            players = ", ".join(f"{p} ({person})" for p, person in store.players_named(s))
            table.append(
                (
                    s.id,
                    s.group,
                    paths.scenario_name(s.scenario_id),
                    players or "-",
                    row["progress"],
                    row["last_played"],
                )
            )
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]) - 1)]
    for r in table:
        echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=False)) + "  " + r[-1])


def _summary(s: Session) -> dict:
    decided = len(s.decisions)
    progress = f"{decided} decision{'s' * (decided != 1)}, {'finished' if s.finished else 'open'}"
    try:
        when = dt.datetime.fromisoformat(s.updated).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:  # written by an exsim that did not check imported times
        when = s.updated[:40]
    return {
        "id": s.id,
        "group": s.group,
        "scenario": s.scenario_id,
        "version": s.version,
        "players": s.players,
        "decisions": decided,
        "finished": s.finished,
        "progress": progress,
        "last_played": when,
    }


@sessions.command()
@click.argument("session")
@click.option("--replay", is_flag=True, help="If the scenario changed: replay on the new version.")
@click.option("--read-only", is_flag=True, help="Show the game as it was played; change nothing.")
@click.pass_context
def resume(ctx: click.Context, session: str, replay: bool, read_only: bool) -> None:
    """Continue SESSION (id or group name) in the game.

    If its scenario has changed since, choose: --replay its decisions on the new version, or
    --read-only to see it as it was played (asked in a terminal).
    """
    if replay and read_only:
        raise Fail("choose one of --replay and --read-only")
    with open_store() as store:
        try:
            found = store.get(session)
            campaign = scenario_of(found)
            if campaign is None:
                echo(f"The scenario {found.scenario_id!r} is gone; shown as played.\n")
                read_only = True
            elif not read_only:
                try:
                    store.resume(found.id, campaign)
                except ScenarioChanged as exc:
                    choice = "replay" if replay else _ask(found, str(exc))
                    read_only = choice == "read-only"
                    if choice == "replay":
                        store.replay_on(found.id, campaign)
                        echo(f"Replayed {found.label} on version {campaign.version}.")
            if read_only:
                from exsim.report import debrief, render

                game = store.open_read_only(found.id)
                echo(render.markdown(debrief.build(game, found)))
                return
        except StoreError as exc:
            raise Fail(str(exc)) from None
    ctx.invoke(main.commands["play"], scenario=None, resume=found.id)


def _ask(session: Session, message: str) -> str:
    """Ask in a terminal how to open a session whose scenario changed; elsewhere, fail."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise Fail(
            f"{message}\nRun `exsim sessions resume {session.id} --replay` or `--read-only`."
        )
    echo(message + "\n")
    answer = click.prompt(
        "Replay on the new version (r), open read-only as played (o), or cancel (c)?",
        type=click.Choice(["r", "o", "c"]),
        default="c",
    )
    if answer == "c":
        raise click.Abort()
    return {"r": "replay", "o": "read-only"}[answer]


@sessions.command()
@click.argument("session")
@click.argument("group")
def rename(session: str, group: str) -> None:
    """Give SESSION a new GROUP name."""
    with open_store() as store:
        try:
            found = store.get(session)
            store.rename(found.id, group)
        except StoreError as exc:
            raise Fail(str(exc)) from None
    echo(f"renamed {found.id}: {found.group} → {group.strip()}")


@sessions.command()
@click.argument("session")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete(session: str, yes: bool) -> None:
    """Delete SESSION and all its moves."""
    with open_store() as store:
        try:
            found = store.get(session)
            if not yes:
                click.confirm(
                    printable(f"Delete {found.label}, {len(found.decisions)} decision(s)?"),
                    abort=True,
                )
            store.delete(found.id)
        except StoreError as exc:
            raise Fail(str(exc)) from None
    echo(f"deleted {found.label}")


@sessions.command()
@click.argument("session")
@click.option("-o", "--output", help="File to write (default exsim-ID-GROUP.json; - for stdout).")
@FORCE_OPTION
def export(session: str, output: str | None, force: bool) -> None:
    """Write SESSION to a JSON file, to import on another machine."""
    with open_store() as store:
        try:
            data = store.export_data(session)
        except StoreError as exc:
            raise Fail(str(exc)) from None
    if output is None:
        slug = re.sub(r"[^a-z0-9]+", "-", data["group"].lower()).strip("-") or "session"
        output = f"exsim-{data['id']}-{slug}.json"
    write_output(json.dumps(data, indent=2, ensure_ascii=False) + "\n", output, force)


@sessions.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
def import_(files: tuple[str, ...]) -> None:
    """Add sessions exported with `exsim sessions export`."""
    failed = 0
    with open_store() as store:
        for name in files:
            try:
                text = safe_files.read_text(name, transfer.MAX_BYTES)
                sid = store.import_text(text, name)
            except OSError as exc:
                failed += 1
                echo(f"error: {name}: cannot read ({exc.strerror})", err=True)
                continue
            except StoreError as exc:
                failed += 1
                echo(f"error: {exc}", err=True)
                continue
            echo(f"imported {store.get(sid).label} from {name}")
    if failed:
        raise Fail(f"{failed} of {len(files)} file(s) not imported")


FORMATS = click.Choice(["md", "html", "json"])


@main.command()
@click.argument("session")
@click.option("--format", "fmt", type=FORMATS, default="md", show_default=True)
@click.option("-o", "--output", help="File to write (default: print).")
@FORCE_OPTION
@click.option("--replay", is_flag=True, help="If the scenario changed: replay on the new version.")
def debrief(session: str, fmt: str, output: str | None, force: bool, replay: bool) -> None:
    """The debrief of SESSION as a document: Markdown, printable HTML, or JSON.

    A session whose scenario has changed since is shown as it was played, unless --replay.
    """
    from exsim.report import debrief as debriefs
    from exsim.report.render import document

    with open_store() as store:
        try:
            found = store.get(session)
            game = game_of(store, found.id, "replay" if replay else None)
            found = store.get(found.id)
        except StoreError as exc:
            raise Fail(str(exc)) from None
    if game.campaign.content_hash != (scenario_of(found) or game.campaign).content_hash:
        echo(
            f"note: {found.label} is shown as played on {found.scenario_id} version "
            f"{found.version}; the scenario has changed since (--replay moves it)",
            err=True,
        )
    write_output(document(debriefs.build(game, found), fmt), output, force)


@main.command(name="class-report")
@click.argument("sessions", nargs=-1)
@click.option("--all", "everyone", is_flag=True, help="Every saved session of the scenario.")
@click.option("--scenario", default=None, help="Scenario (default: that of the sessions given).")
@click.option("--format", "fmt", type=FORMATS, default="md", show_default=True)
@click.option("-o", "--output", help="File to write (default: print).")
@FORCE_OPTION
@click.option(
    "--replay", is_flag=True, help="Replay sessions played on an older version on the current one."
)
def class_report(
    sessions: tuple[str, ...],
    everyone: bool,
    scenario: str | None,
    fmt: str,
    output: str | None,
    force: bool,
    replay: bool,
) -> None:
    """Compare groups: each decision's choices, outcomes and alignment beside the record."""
    from exsim.report import classes
    from exsim.report.render import document

    if bool(sessions) == everyone:
        raise Fail("give session ids or group names, or --all")
    with open_store() as store:
        try:
            found = [store.get(k) for k in sessions]
            ids = {s.scenario_id for s in found}
            if scenario is None:
                if everyone:
                    ids = {s.scenario_id for s in store.list()}
                if len(ids) > 1:
                    raise Fail(
                        f"sessions of several scenarios ({', '.join(sorted(ids))}); "
                        "choose one with --scenario"
                    )
                scenario = ids.pop() if ids else paths.DEFAULT_SCENARIO
            campaign = load(scenario)
            keys = None if everyone else [s.id for s in found]
            report = classes.from_store(store, campaign, keys, replay)
        except StoreError as exc:
            raise Fail(str(exc)) from None
    if not report.groups:
        left = len(report.left_out)
        hint = f" ({left} left out: played on other content; --replay moves them)" if left else ""
        raise Fail(f"no session of {campaign.id} to compare{hint}")
    if report.left_out:
        echo(f"note: {len(report.left_out)} session(s) left out (see the report)", err=True)
    write_output(document(report, fmt), output, force)
