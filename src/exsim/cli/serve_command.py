"""`exsim serve`, `exsim facilitate`, `exsim join`: the game for a whole class.

The server and the student's app never offer the facilitator's console: it runs only in the
facilitator's own terminal, with the class's facilitator key.
"""

from __future__ import annotations

import os
import secrets
import socket
import string

import click

from exsim import paths
from exsim.cli import Fail, echo, load, main
from exsim.store import SessionStore, StoreError
from exsim.terminal import without_controls


def open_room():
    from exsim.classroom import Classroom

    try:
        store = SessionStore.open()
    except StoreError as exc:
        raise Fail(str(exc)) from None
    return store, Classroom(store)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def serve(host: str, port: int) -> None:
    """Serve the class's page to browsers: students join with the class code.

    Binds to this computer only unless --host says otherwise; then every request needs the
    token in the link printed on start.
    """
    from exsim.classroom.web import ClassServer, is_local

    check_port(host, port)
    token = None if is_local(host) else secrets.token_urlsafe(16)
    open_room()[0].close()  # a damaged store is reported now, not on every page
    server = ClassServer(host=host, port=port, token=token)
    echo(f"exsim class server: students open {server.url}")
    if token:
        echo(
            "Not on localhost: the link's token is required on every request. "
            "Share the link only with the class."
        )
    echo(
        "Run `exsim facilitate` in another terminal to create a class and get its code.\n"
        "Press Ctrl+C to stop serving."
    )
    try:
        server.serve()
    except OSError as exc:
        raise Fail(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


def check_port(host: str, port: int) -> None:
    """Fail now, before any banner, when *host*:*port* cannot be listened on."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except (OSError, UnicodeError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise Fail(f"cannot serve on {host}:{port}: {reason}") from None


@main.command()
def join() -> None:
    """A student's screen: give the class code and your name, take a free role (`serve` runs
    it for each browser let in by its join form)."""
    from exsim.classroom import SEAT_ENV  # not from .web: aiohttp costs each student ~9 MiB
    from exsim.tui.classroom.student_app import StudentApp

    seat = os.environ.get(SEAT_ENV)
    try:
        store, room = open_room()
    except Fail as exc:  # in a browser, a page that says why, not a blank one
        from exsim.tui.classroom.notice_app import store_problem

        store_problem(exc.format_message()).run()
        raise
    with store:
        if not seat:  # in a terminal: let in here, as the join form does in a browser
            seat = secrets.token_urlsafe(24)
            let_in(room, seat)
        StudentApp(room, seat).run()


def let_in(room, seat: str) -> None:
    """Ask the class code and the name until the class lets *seat* in (the join form's
    rules: `Classroom.admit`)."""
    from exsim.classroom import ClassError

    while True:
        code = click.prompt("Class code")
        name = click.prompt("Your name")
        try:
            room.admit(code, name, seat)
            return
        except ClassError as exc:
            echo(without_controls(exc.sentence()), err=True)


@main.command()
@click.argument("scenario", required=False)
@click.option(
    "--groups",
    default=1,
    show_default=True,
    type=click.IntRange(1, 26),
    help="How many groups play side by side (each its own game, all roles).",
)
@click.option(
    "--rule",
    type=click.Choice(["chair", "vote"]),
    default="chair",
    show_default=True,
    help="Who decides: the chair (as in the record) or each group's vote.",
)
@click.option("--what-if", is_flag=True, help="Simulated counterparts instead of the record.")
@click.option("--code", help="Reopen the console of an existing class.")
@click.option("--key", help="Its facilitator key (default: the one kept when it was created).")
@click.option("--url", default="", help="The address students open, shown on the console.")
def facilitate(scenario, groups, rule, what_if, code, key, url) -> None:
    """Create a class (or reopen one with --code) and run it from this terminal."""
    from exsim.classroom import ClassError

    url = without_controls(url)  # shown on the console: no escape sequence reaches the terminal

    store, room = open_room()
    with store:
        try:
            if code:
                code = room.state(code).code
                key = key or read_key(code)
                url = url or read_url(code)
            else:
                campaign = load(scenario or paths.DEFAULT_SCENARIO)
                names = [f"Group {string.ascii_uppercase[n]}" for n in range(groups)]
                mode = "what-if" if what_if else "historical"
                seed = secrets.randbelow(10_000) if what_if else 0
                code, key = room.create(campaign, names, rule=rule, mode=mode, seed=seed)
                kept = keep_key(code, key)
                echo(f"Class code: {code}   (facilitator key: {key}, kept in {kept})")
            facilitator = room.facilitator(code, key)
            if url:
                keep_url(code, url)
        except ClassError as exc:
            raise Fail(str(exc)) from None
        from exsim.tui.classroom.console_app import ConsoleApp

        ConsoleApp(facilitator, url).run()
        echo(f"Class {code}: reopen the console with `exsim facilitate --code {code}`.")


def keep_key(code: str, key: str):
    path = paths.class_key_file(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key + "\n")
    return path


def keep_url(code: str, url: str) -> None:
    """Remember the students' address, so `--code` alone shows it again."""
    path = paths.class_url_file(code)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(url + "\n", encoding="utf-8")
    except OSError as exc:
        echo(f"warning: the address is not remembered: {exc.strerror or exc}", err=True)


def read_url(code: str) -> str:
    try:
        return without_controls(paths.class_url_file(code).read_text(encoding="utf-8")).strip()
    except (OSError, UnicodeDecodeError):
        return ""


def read_key(code: str) -> str:
    path = paths.class_key_file(code)
    try:
        return path.read_text().strip()
    except OSError:
        raise Fail(
            f"no facilitator key for class {code} in {path.parent}; give it with --key"
        ) from None
