"""open_campaign walks a scenario text once per exsim version; faults are never remembered."""

from __future__ import annotations

import pytest

from exsim import __version__, paths
from exsim.engine import ScenarioError, open_campaign


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_walked_text_is_marked_and_not_walked_again(cache, monkeypatch, variant):
    path, _ = variant("title: Mini crisis", "title: Mini crisis, cached")
    campaign = open_campaign(path)
    marker = paths.walked_marker(campaign.content_hash, __version__)
    assert marker.exists()

    def no_walk(_campaign):
        raise AssertionError("walked again")

    monkeypatch.setattr("exsim.engine.explore", no_walk)
    assert open_campaign(path).content_hash == campaign.content_hash


def test_a_text_with_faults_is_never_marked(cache, variant):
    path, _ = variant(
        "  - id: standoff\n    title: Standoff\n",
        "  - id: standoff\n    title: Standoff\n    when: {pledge: given}\n",
    )
    for _ in range(2):
        with pytest.raises(ScenarioError, match="matches no ending"):
            open_campaign(path)
    assert not (cache / "walked").exists() or not any((cache / "walked").iterdir())


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch, variant):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(paths.CACHE_DIR_ENV, str(blocker))
    path, _ = variant("title: Mini crisis", "title: Mini crisis, no cache")
    assert open_campaign(path).id == "mini"
