"""Export and import: every export re-imports to the same session; bad files (and mutated ones,
made by hypothesis) are refused with one StoreError, storing nothing."""

from __future__ import annotations

import copy
import json
import random
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exsim.engine.game import option_sets
from exsim.store import SessionStore, StoreError, transfer


def random_session(store, campaign, rng: random.Random, finish: bool = True) -> str:
    """A session of random moves, random recommendations, maybe left unfinished."""
    roles = list(campaign.roles)
    sid = store.create(
        campaign,
        f"Group {rng.randrange(1000)}",
        {r: f"Player {n}" for n, r in enumerate(roles)},
        seed=rng.randrange(10_000),
        mode=rng.choice(["historical", "what-if"]),
        rule=rng.choice(["chair", "vote"]),
    )
    game = store.resume(sid, campaign)
    store.save(sid, game)
    while not game.finished and (finish or rng.random() < 0.7):
        decision = game.current.decision
        allowed = [s for s in option_sets(decision) if all(_allowed(game, o) for o in s)]
        recs = {r: list(rng.choice(allowed)) for r in campaign.recommenders(decision)}
        game.decide(decision.id, list(rng.choice(allowed)), recommendations=recs)
        store.save(sid, game)
    if not game.finished:
        decision = game.current.decision
        store.add_recommendation(sid, decision.id, roles[0], [game.options()[0].id])
    return sid


def _allowed(game, option_id: str) -> bool:
    """Offered now (it applies) and not refused."""
    return next((o.allowed for o in game.options() if o.id == option_id), False)


def test_every_export_reimports_to_the_same_session(tmp_path, mini):
    rng = random.Random(5)
    with SessionStore.open(tmp_path / "a") as a, SessionStore.open(tmp_path / "b") as b:
        for _ in range(25):
            sid = random_session(a, mini, rng, finish=rng.random() < 0.5)
            exported = transfer.export_data(a, sid)
            text = json.dumps(exported)
            assert transfer.import_text(b, text, "x.json") == sid
            assert transfer.export_data(b, sid) == exported
            assert b.get(sid) == a.get(sid)
            assert b.resume(sid, mini).log == a.resume(sid, mini).log


def test_import_into_the_same_store(tmp_path, mini):
    with SessionStore.open(tmp_path) as store:
        sid = random_session(store, mini, random.Random(1))
        text = json.dumps(transfer.export_data(store, sid))
        with pytest.raises(StoreError, match=f"x.json: session {sid} .* is already in"):
            transfer.import_text(store, text, "x.json")
        game = store.resume(sid, mini) if not store.get(sid).finished else None
        del game
        store.rename(sid, "Renamed")  # now different: the import gets a new id
        other = transfer.import_text(store, text, "x.json")
        assert other != sid and store.get(other).entries == store.get(sid).entries


def test_import_keeps_the_scenario_as_played(tmp_path, mini):
    with SessionStore.open(tmp_path / "a") as a, SessionStore.open(tmp_path / "b") as b:
        sid = random_session(a, mini, random.Random(2))
        transfer.import_text(b, json.dumps(transfer.export_data(a, sid)), "x.json")
        assert b.open_read_only(sid).log == a.resume(sid, mini).log


def exported(tmp_path, mini) -> dict:
    with SessionStore.open(tmp_path / "src") as store:
        sid = random_session(store, mini, random.Random(3))
        return transfer.export_data(store, sid)


def edit(data: dict, path: str, value) -> dict:
    target = data
    *parts, last = path.split(".")
    for part in parts:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return data


@pytest.mark.parametrize(
    "change, message",
    [
        (None, "x.json: not JSON (Expecting property name enclosed in double quotes at line 1)"),
        (("format", "other"), 'x.json: not an exsim session export (no "format": "exsim-session")'),
        (("format_version", 2), "x.json: not a valid session export (format_version: "),
        (("group", KeyError), "x.json: not a valid session export (group: field required)"),
        (("mode", "fast"), "(mode: input should be 'historical' or 'what-if')"),
        (("entries.0.kind", "guess"), "entries.0.kind: input should be"),
        (("scenario.text", "format: 1\n"), "the scenario text does not match its content_hash"),
        (("entries.0.chosen", ["nonsense"]), "option 'nonsense' is not offered"),
        (("entries.R.forced", True), "but the replay gives"),
        (("entries.0.by", KeyError), "(they differ in: by)"),
    ],
)
def test_bad_import_files_say_what_is_wrong(tmp_path, mini, change, message):
    data = exported(tmp_path, mini)
    if change is None:
        text = "{not json"
    else:
        if change[0].startswith("entries.0"):
            first = next(n for n, e in enumerate(data["entries"]) if e["kind"] == "decision")
            change = (change[0].replace("entries.0", f"entries.{first}"), change[1])
            message = message.replace("entries.0", f"entries.{first}")
        if change[0].startswith("entries.R"):
            first = next(n for n, e in enumerate(data["entries"]) if e["kind"] == "response")
            change = (change[0].replace("entries.R", f"entries.{first}"), change[1])
        text = json.dumps(edit(data, *change))
    with SessionStore.open(tmp_path / "dest") as store:
        with pytest.raises(StoreError) as info:
            transfer.import_text(store, text, "x.json")
        assert message in str(info.value)
        assert store.list() == []


fuzz = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=20)
    | st.sampled_from(["../../etc/passwd", "\x1b[31m", "", "x" * 80, "[b]bold[/b]"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def key_paths(node, path=()):
    """Every key path in *node*, parents before children."""
    yield path
    if isinstance(node, dict | list):
        for key, value in node.items() if isinstance(node, dict) else enumerate(node):
            yield from key_paths(value, path + (key,))


@pytest.fixture(scope="module")
def export(mini, tmp_path_factory):
    """One finished session's export, with its scenario text (so it imports anywhere)."""
    with SessionStore.open(tmp_path_factory.mktemp("source")) as store:
        sid = random_session(store, mini, random.Random(11))
        return transfer.export_data(store, sid)


def mutated(export: dict, data: st.DataObject) -> dict:
    """*export* with a few of its values replaced, keys dropped or list items duplicated."""
    out = copy.deepcopy(export)
    paths = [p for p in key_paths(out) if p and p[0] != "format"]
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(paths))
        parent = out
        try:
            for key in path[:-1]:
                parent = parent[key]
            last = path[-1]
            parent[last]  # still there after an earlier change?
        except (KeyError, IndexError, TypeError):
            continue
        how = data.draw(st.sampled_from(["replace", "drop", "double"]))
        if how == "replace":
            parent[last] = data.draw(JSON_VALUES)
        elif how == "drop":
            del parent[last]
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        else:
            parent[last] = [parent[last], parent[last]]
    return out


@fuzz
@given(data=st.data())
def test_a_mutated_export_is_imported_whole_or_refused_cleanly(export, data):
    text = json.dumps(mutated(export, data))
    with tempfile.TemporaryDirectory() as folder, SessionStore.open(folder) as store:
        try:
            sid = transfer.import_text(store, text, "class.json")
        except StoreError as exc:
            message = str(exc)
            assert message.startswith("class.json: "), message
            assert "Traceback" not in message
            assert store.list() == [], "a refused import stored something"
            return
        imported = transfer.export_data(store, sid)
        assert json.loads(json.dumps(imported)) == imported
        assert len(store.list()) == 1
