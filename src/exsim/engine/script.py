"""Scripted play: a YAML file of decisions (and forced counterpart answers) played headless."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field

from exsim.engine.campaign import Campaign
from exsim.engine.game import ForcedAnswerError, Game, GameError
from exsim.scenario.loader import validate_located
from exsim.scenario.model import Id, Strict
from exsim.scenario.yamlsafe import load_text, read_text


class ScriptedDecision(Strict):
    """One decision in a script."""

    decision: Id
    choose: Id | list[Id]
    by: Id | None = Field(None, description="The role deciding, or 'group'; default the chair.")
    recommendations: dict[Id, Id | list[Id]] = Field(default_factory=dict)


class Script(Strict):
    """A scripted game."""

    scenario: Id | None = Field(None, description="If given, must match the scenario's id.")
    seed: int | None = None
    mode: Literal["historical", "what-if"] = "historical"
    decisions: list[ScriptedDecision] = Field(default_factory=list)
    responses: dict[Id, Id] = Field(
        default_factory=dict, description="Response id → the outcome to force."
    )


def read_script(path: str | Path) -> Script:
    """Load a script file; raise ScenarioError with file:line:col on problems."""
    return validate_located(Script, load_text(read_text(path), str(path)), str(path))


def play_script(campaign: Campaign, script: Script, seed: int | None = None) -> Game:
    """Play *script* through; GameError names the scripted decision that failed.

    A scripted decision that this game passed over (its `when` did not hold) is ignored,
    so one script can cover games whose counterpart answers differ.
    """
    if script.scenario is not None and script.scenario != campaign.id:
        raise GameError(f"the script is for scenario {script.scenario!r}, not {campaign.id!r}")
    chosen_seed = seed if seed is not None else (script.seed or 0)
    try:
        game = Game(campaign, seed=chosen_seed, mode=script.mode, forced=script.responses)
    except ForcedAnswerError as exc:
        raise GameError(f"responses: {exc}, before the first decision") from None
    for n, step in enumerate(script.decisions, 1):
        if any(e.kind == "skipped" and e.step == step.decision for e in game.log):
            continue  # its condition did not hold in this game: not on the agenda
        try:
            game.decide(step.decision, step.choose, step.by, step.recommendations)
        except ForcedAnswerError as exc:
            raise GameError(
                f"responses: {exc}, after decision {step.decision!r} (script decision {n}); "
                "force another outcome, or leave it out"
            ) from None
        except GameError as exc:
            raise GameError(f"script decision {n}: {exc}") from None
    if not game.finished:
        raise GameError(
            f"the script ends with decision {game.open_decision.id!r} still open "
            f"(options: {', '.join(o.id for o in game.open_decision.options)})"
        )
    return game
