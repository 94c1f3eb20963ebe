"""The `exsim` command: the group, shared helpers, and the modules that add commands."""

from __future__ import annotations

import os

import click

from exsim import __version__, paths
from exsim.engine import Campaign, ScenarioError, open_campaign


class Fail(click.ClickException):
    """An error shown to the user as `error: …` with exit status 1 (no traceback)."""

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def load(name: str) -> Campaign:
    """Open a scenario by path or name; problems are printed and exit 1."""
    try:
        return open_campaign(paths.resolve_scenario(name))
    except LookupError as exc:
        raise Fail(str(exc)) from None
    except ScenarioError as exc:
        raise Fail(f"{len(exc.problems)} problem(s):\n{exc}") from None


@click.group(invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="exsim")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    help=f"Folder for saved games and your scenarios (default: ${paths.DATA_DIR_ENV}, "
    "else your user data folder; see `exsim locate`).",
)
@click.pass_context
def main(ctx: click.Context, data_dir: str | None) -> None:
    """exsim: play ExComm's decisions of November 1962 and compare them with the record.

    With no command, starts the game.
    """
    if data_dir:
        os.environ[paths.DATA_DIR_ENV] = data_dir  # one setting, seen by every path and child
    if ctx.invoked_subcommand is None:
        ctx.invoke(main.commands["play"])


def run_main() -> None:
    """Entry point for `python -m exsim`."""
    main(prog_name="exsim")


# Each module below adds its commands to `main`.
from exsim.cli import (  # noqa: E402
    engine_commands,  # noqa: F401
    play_command,  # noqa: F401
    serve_command,  # noqa: F401
    sim_commands,  # noqa: F401
    store_commands,  # noqa: F401
)
