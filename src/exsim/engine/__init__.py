"""The headless engine: policy machine, games, exploration and comparison with the record.

Nothing here imports Textual; a test enforces it.
"""

from __future__ import annotations

from pathlib import Path

from exsim import __version__, paths
from exsim.engine.campaign import Campaign
from exsim.engine.explore import path_problems
from exsim.engine.game import Game, GameError
from exsim.scenario.loader import read_scenario
from exsim.scenario.problems import ScenarioError

__all__ = ["Campaign", "Game", "GameError", "ScenarioError", "open_campaign"]


def open_campaign(path: str | Path) -> Campaign:
    """Load, check and walk a scenario file; raise ScenarioError listing every problem.

    Walking every path is the slow part, and depends only on the file's text and this
    version of exsim: a text that passed it once is marked in the cache and not walked again.
    """
    campaign = Campaign(read_scenario(path))
    marker = paths.walked_marker(campaign.content_hash, __version__)
    if marker.exists():
        return campaign
    problems = path_problems(campaign)
    if problems:
        raise ScenarioError(problems)
    try:
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:  # a read-only cache only costs time
        pass
    return campaign
