"""The session store: the contract the game codes against, and every bad-input message."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys

import pytest

from exsim.engine import GameError, open_campaign
from exsim.engine.compare import play
from exsim.store import ScenarioChanged, Session, SessionStore, StoreError
from exsim.store.database import APPLICATION_ID


@pytest.fixture
def store(tmp_path):
    with SessionStore.open(tmp_path) as s:
        yield s


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_create_then_get_holds_everything_about_the_session(store, mini):
    sid = store.create(mini, "Group A", {"president": "Ana", "rusk": "Ben"}, seed=7, rule="vote")
    assert len(sid) == 6 and sid.isalnum()
    s = store.get(sid)
    assert isinstance(s, Session)
    assert (s.group, s.scenario_id, s.version, s.content_hash) == (
        "Group A",
        "mini",
        "1",
        mini.content_hash,
    )
    assert s.players == {"president": "Ana", "rusk": "Ben"}
    assert (s.seed, s.mode, s.rule, s.finished, s.entries, s.pending) == (
        7,
        "historical",
        "vote",
        False,
        [],
        {},
    )
    assert s.created == s.updated
    assert store.path.name == "sessions.sqlite3"


def test_each_decision_is_committed_and_resumes(store, mini, tmp_path):
    sid = store.create(mini, "Group A", {"president": "Ana"})
    game = store.resume(sid, mini)
    store.add_recommendation(sid, "pledge", "rusk", ["withhold"])
    assert store.get(sid).pending == {"pledge": {"rusk": ("withhold",)}}
    game.decide("pledge", "withhold", recommendations={"rusk": "withhold"})
    store.save(sid, game)
    # another connection (another process) sees it at once
    with SessionStore.open(tmp_path) as other:
        seen = other.get(sid)
        assert [e.step for e in seen.decisions] == ["pledge"]
        assert seen.pending == {}
        assert seen.decisions[0].recommendations == {"rusk": ("withhold",)}
        assert seen.decisions[0].phase == "meeting" and seen.times[0]
        again = other.resume(sid, mini)
    assert again.log == game.log and again.current.id == "pressure"
    game.decide("pressure", ["wait"])
    store.save(sid, game)
    game.decide("lift", "lift")
    store.save(sid, game)
    s = store.get(sid)
    assert s.finished and [e.kind for e in s.entries] == [
        "decision",
        "decision",
        "response",
        "decision",
    ]
    assert store.resume(sid, mini).ending.id == "deal"


def test_list_rename_delete(store, mini):
    a = store.create(mini, "Group A", {})
    b = store.create(mini, "Group B", {})
    game = store.resume(a, mini)
    game.decide("pledge", "withhold")
    store.save(a, game)
    assert [s.id for s in store.list()] == [a, b]
    store.rename(b, "Blue team")
    assert store.get("blue team").id == b
    store.delete(a)
    assert [s.group for s in store.list()] == ["Blue team"]
    with pytest.raises(StoreError, match=f"no session '{a}'"):
        store.get(a)


def test_append_is_idempotent_and_refuses_a_conflicting_move(store, mini):
    sid = store.create(mini, "G", {})
    first = store.resume(sid, mini)
    second = store.resume(sid, mini)
    first.decide("pledge", "withhold")
    store.save(sid, first)
    store.save(sid, first)  # the same move saved twice: kept once
    assert len(store.get(sid).entries) == 1
    second.decide("pledge", "withhold")
    second.decide("pressure", ["tighten"])
    store.save(sid, second)  # same pledge (skipped), then its own next move
    assert [e.step for e in store.get(sid).entries] == ["pledge", "pressure", "answer"]
    first.decide("pressure", ["wait"])
    with pytest.raises(StoreError, match=r"pressure is already recorded as tighten"):
        store.save(sid, first)
    assert [e.chosen for e in store.get(sid).decisions] == [("withhold",), ("tighten",)]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda s, c: s.create(c, "  ", {}), "a session needs a group name"),
        (lambda s, c: s.create(c, "G", {"khrushchev": "X"}), "no role 'khrushchev' in mini"),
        (lambda s, c: s.create(c, "G", {}, mode="fast"), "no mode 'fast'"),
        (lambda s, c: s.create(c, "G", {}, rule="dice"), "no decision rule 'dice'"),
        (lambda s, c: s.get("zzzzzz"), "no session 'zzzzzz' in .*sessions.sqlite3"),
        (lambda s, c: s.rename("zzzzzz", "x"), "no session 'zzzzzz'"),
        (lambda s, c: s.delete("nope"), "no session 'nope'"),
    ],
)
def test_bad_requests_say_what_is_wrong(store, mini, call, message):
    with pytest.raises(StoreError, match=message):
        call(store, mini)


def test_bad_forced_answer_is_refused_on_create(store, mini):
    with pytest.raises(GameError, match="no outcome 'x'"):
        store.create(mini, "G", {}, forced={"answer": "x"})


def test_two_groups_with_one_name_need_an_id(store, mini):
    a = store.create(mini, "Same", {})
    b = store.create(mini, "Same", {})
    with pytest.raises(StoreError, match=f"2 sessions of group 'same' \\(({a}|{b}), "):
        store.get("same")


def test_session_ids_are_unique_and_typable(store, mini):
    ids = {store.create(mini, f"G{n}", {}) for n in range(200)}
    assert len(ids) == 200
    assert all(len(i) == 6 and not set(i) & set("01ilo") for i in ids)


def test_resume_of_another_scenario_is_refused(store, mini, variant):
    sid = store.create(mini, "G", {})
    path, _ = variant("id: mini", "id: other")
    with pytest.raises(StoreError, match="is a game of 'mini', not 'other'"):
        store.resume(sid, open_campaign(path))


def played(store, campaign, choices):
    sid = store.create(campaign, "Group A", {"president": "Ana"})
    game = store.resume(sid, campaign)
    for decision, chosen in choices:
        game.decide(decision, chosen)
        store.save(sid, game)
    return sid, game


def test_changed_scenario_is_never_mixed_silently(store, mini, variant):
    sid, game = played(store, mini, [("pledge", "withhold"), ("pressure", ["wait"])])
    path, _ = variant('version: "1"', 'version: "2"')
    newer = open_campaign(path)
    with pytest.raises(ScenarioChanged) as info:
        store.resume(sid, newer)
    assert str(info.value) == (
        f"session {sid} (Group A) was played on mini version 1 (content "
        f"{mini.content_hash[:12]}); the scenario file now holds version 2 (content "
        f"{newer.content_hash[:12]}). Replay its decisions on the new version, or open it "
        "read-only as it was played."
    )
    # read-only: the game exactly as played, on the content it was played on
    shown = store.open_read_only(sid)
    assert shown.log == game.log and shown.campaign.version == "1"
    assert store.get(sid).version == "1"
    # replay: the session moves to the new version
    moved = store.replay_on(sid, newer)
    assert [e.chosen for e in moved.log] == [e.chosen for e in game.log]
    s = store.get(sid)
    assert (s.version, s.content_hash) == ("2", newer.content_hash)
    assert store.resume(sid, newer).log == moved.log


def test_replay_on_a_version_that_forbids_a_decision_changes_nothing(store, mini, variant):
    sid, _ = played(store, mini, [("pledge", "withhold"), ("pressure", ["tighten"])])
    path, _ = variant(
        "{id: tighten, label: Tighten the quarantine, t", "{id: squeeze, label: Squeeze, t"
    )
    with pytest.raises(StoreError, match=r"decision 2 \(pressure\) cannot be replayed"):
        store.replay_on(sid, open_campaign(path))
    assert store.get(sid).content_hash == mini.content_hash
    assert len(store.get(sid).decisions) == 2


def test_a_tampered_log_is_reported_not_resumed(store, mini):
    sid, _ = played(store, mini, [("pledge", "withhold"), ("pressure", ["wait"])])
    store.conn.execute(
        "UPDATE entry SET body=replace(body, 'agrees', 'stalls') WHERE step='answer'"
    )
    with pytest.raises(
        StoreError,
        match="at answer the store has response stalls but the replay gives response agrees",
    ):
        store.resume(sid, mini)


# -- files that are not a store: clear message naming the file, file untouched ---------------


def test_missing_folder_is_created(tmp_path, mini):
    with SessionStore.open(tmp_path / "a" / "b") as s:
        s.create(mini, "G", {})
    assert (tmp_path / "a" / "b" / "sessions.sqlite3").is_file()
    assert not list((tmp_path / "a" / "b").glob(".new-*"))


def bad_file(tmp_path, content: bytes):
    path = tmp_path / "sessions.sqlite3"
    path.write_bytes(content)
    return path


def expect_refusal(tmp_path, path, message):
    before = digest(path)
    with pytest.raises(StoreError) as info:
        SessionStore.open(tmp_path)
    assert str(path) in str(info.value)
    assert message in str(info.value)
    assert digest(path) == before
    return str(info.value)


def test_empty_file_is_refused(tmp_path):
    path = bad_file(tmp_path, b"")
    text = expect_refusal(tmp_path, path, "not an exsim session store (empty); left untouched")
    assert "--data-dir" in text


def test_text_file_is_refused(tmp_path):
    path = bad_file(tmp_path, b"hello, this is a shopping list\n" * 10)
    expect_refusal(tmp_path, path, "not an exsim session store (not SQLite)")


def test_truncated_header_is_refused(tmp_path):
    path = bad_file(tmp_path, b"SQLite format 3\x00\x10\x00")
    expect_refusal(tmp_path, path, "not an exsim session store (truncated)")


def test_foreign_sqlite_file_is_refused_untouched(tmp_path):
    path = tmp_path / "sessions.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    expect_refusal(tmp_path, path, "a SQLite database of another program")
    assert not (tmp_path / "sessions.sqlite3-wal").exists()


def test_newer_store_is_refused(tmp_path, mini):
    SessionStore.open(tmp_path).close()
    path = tmp_path / "sessions.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=99")
    conn.close()
    expect_refusal(tmp_path, path, "made by a newer exsim (store version 99, this one reads 1)")


def filled_store(tmp_path, mini) -> bytes:
    with SessionStore.open(tmp_path) as s:
        for n in range(30):
            sid = s.create(mini, f"Group {n} " + "x" * 50, {"president": "Ana" * 20})
            game = s.resume(sid, mini)
            game.decide("pledge", "withhold")
            s.save(sid, game)
    path = tmp_path / "sessions.sqlite3"
    assert not (tmp_path / "sessions.sqlite3-wal").exists()
    return path.read_bytes()


def test_corrupt_store_is_refused_untouched(tmp_path, mini):
    data = bytearray(filled_store(tmp_path, mini))
    assert len(data) > 8192
    data[4096:8192] = b"\xde\xad\xbe\xef" * 1024
    path = bad_file(tmp_path, bytes(data))
    expect_refusal(tmp_path, path, "the session store is damaged")


def test_truncated_store_is_refused_untouched(tmp_path, mini):
    data = filled_store(tmp_path, mini)
    path = bad_file(tmp_path, data[: len(data) // 2 + 100])
    expect_refusal(tmp_path, path, "the session store is damaged")


def test_store_marks_itself(tmp_path):
    SessionStore.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / "sessions.sqlite3")
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_env_var_chooses_the_folder(tmp_path, monkeypatch, mini):
    monkeypatch.setenv("EXSIM_DATA_DIR", str(tmp_path / "env"))
    with SessionStore.open() as s:
        assert s.path == tmp_path / "env" / "sessions.sqlite3"


def test_play_helper_and_store_agree(store, mini):
    reference = play(mini, {"pledge": ["withhold"], "pressure": ["wait"], "lift": ["lift"]})
    sid, game = played(
        store, mini, [("pledge", "withhold"), ("pressure", ["wait"]), ("lift", "lift")]
    )
    assert store.resume(sid, mini).log == reference.log == game.log


def test_store_and_report_import_no_textual():
    code = (
        "import sys, exsim.store, exsim.report.debrief, exsim.report.classes, "
        "exsim.report.render, exsim.report.schema, exsim.cli.store_commands; "
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
