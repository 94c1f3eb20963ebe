"""The headless engine: policy machine, games, exploration and comparison with the record.

Nothing here imports Textual; a test enforces it.
"""

from __future__ import annotations

from pathlib import Path

from exsim.engine.campaign import Campaign
from exsim.engine.explore import explore
from exsim.engine.game import Game, GameError
from exsim.scenario.loader import read_scenario
from exsim.scenario.problems import ScenarioError

__all__ = ["Campaign", "Game", "GameError", "ScenarioError", "open_campaign"]


def open_campaign(path: str | Path) -> Campaign:
    """Load, check and walk a scenario file; raise ScenarioError listing every problem."""
    campaign = Campaign(read_scenario(path))
    problems = explore(campaign).problems
    if problems:
        raise ScenarioError(problems)
    return campaign
