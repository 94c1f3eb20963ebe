"""The `exsim` command: the group, shared helpers, and the modules that add commands."""

from __future__ import annotations

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
@click.pass_context
def main(ctx: click.Context) -> None:
    """exsim: play ExComm's decisions of November 1962 and compare them with the record.

    With no command, starts the game.
    """
    if ctx.invoked_subcommand is None:
        ctx.invoke(main.commands["play"])


def run_main() -> None:
    """Entry point for `python -m exsim`."""
    main(prog_name="exsim")


# Each module below adds its commands to `main`.
from exsim.cli import engine_commands  # noqa: E402, F401
from exsim.cli import sim_commands  # noqa: E402, F401
from exsim.cli import play_command  # noqa: E402, F401
