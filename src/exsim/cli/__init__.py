"""The `exsim` command: the group, shared helpers, and the modules that add commands."""

from __future__ import annotations

import importlib
import os
from typing import TYPE_CHECKING, ClassVar

import click

from exsim import __version__, paths
from exsim.terminal import printable

if TYPE_CHECKING:
    from exsim.engine import Campaign


def echo(message: object = "", err: bool = False, nl: bool = True) -> None:
    """Print to the terminal, control characters shown as escapes: every command prints this way.

    Scenario text, names and file names are data; an ESC sequence in them must not reach the
    terminal (window title, clearing the screen, links).
    """
    click.echo(printable(str(message)), err=err, nl=nl)


class Fail(click.ClickException):
    """An error shown to the user as `error: …` with exit status 1 (no traceback)."""

    def show(self, file=None) -> None:
        echo(f"error: {self.format_message()}", err=True)


def write_file(path: str | os.PathLike, text: str, force: bool) -> None:
    """Write a file the user named (`files.write_text`'s rule: a regular file, overwritten only
    with --force); a refusal or an OSError ends the command with its reason."""
    from exsim import files

    try:
        files.write_text(path, text, force)
    except files.FileRefused as exc:
        raise Fail(f"{path}: {exc}") from None
    except OSError as exc:
        raise Fail(f"{path}: cannot write ({exc.strerror})") from None


def load(name: str) -> Campaign:
    """Open a scenario by path or name; problems are printed and exit 1."""
    from exsim.engine import ScenarioError, open_campaign

    try:
        return open_campaign(paths.resolve_scenario(name))
    except LookupError as exc:
        raise Fail(str(exc)) from None
    except ScenarioError as exc:
        raise Fail(f"{len(exc.problems)} problem(s):\n{exc}") from None


class Commands(click.Group):
    """The command group; its modules are imported on first need, so `exsim` alone starts fast.

    Each module in MODULES adds its commands to `main`: list a new command module there.
    """

    MODULES = ("engine_commands", "play_command", "serve_command", "sim_commands", "store_commands")
    QUICK: ClassVar[dict[str, str]] = {"play": "play_command"}  # found without the others

    @property
    def commands(self) -> dict[str, click.Command]:
        if not self._loaded:
            self._loaded = True
            for module in self.MODULES:
                importlib.import_module(f"exsim.cli.{module}")
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands, self._loaded = value, False

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        self._commands[name or cmd.name] = cmd  # while a module is imported: no loading

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.QUICK and cmd_name not in self._commands:
            importlib.import_module(f"exsim.cli.{self.QUICK[cmd_name]}")
        return self._commands.get(cmd_name) or self.commands.get(cmd_name)


@click.group(
    cls=Commands,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
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
        ctx.invoke(main.get_command(ctx, "play"))


def run_main() -> None:
    """Entry point for `python -m exsim`."""
    main(prog_name="exsim")
