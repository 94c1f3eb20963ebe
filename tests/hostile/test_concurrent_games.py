"""Two games started at the same moment: each gets its own default group name."""

from __future__ import annotations

import threading

from exsim.engine import open_campaign
from exsim.store import SessionStore

from .conftest import MINI


def test_games_started_together_never_share_the_default_group_name(tmp_path):
    campaign = open_campaign(MINI)
    SessionStore.open(tmp_path).close()  # the store exists before the race
    starters = 6
    ready = threading.Barrier(starters)
    made: list[str] = []

    def start() -> None:
        with SessionStore.open(tmp_path) as store:
            ready.wait()
            made.append(store.create(campaign, None, {"president": "Ana"}))

    threads = [threading.Thread(target=start) for _ in range(starters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    with SessionStore.open(tmp_path) as store:
        names = sorted(store.get(sid).group for sid in made)
    assert names == [f"Group {n}" for n in range(1, starters + 1)]
