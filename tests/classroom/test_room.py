"""The class without a screen: joining, rounds, privacy, and every refusal a student meets."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from exsim.classroom import ClassError, Follower


def group_id(room, code, n=0):
    return room.groups(code)[n].session.id


def test_codes_are_short_and_easy_to_read(made):
    code, _, room = made
    assert len(code) == 5 and code == code.upper() and not set(code) & set("0O1IL")
    assert room.state(code.lower()).code == code  # typed in lower case: found
    with pytest.raises(ClassError, match="no class with code 'ZZZZZ'"):
        room.state("zzzzz")


def test_a_student_takes_a_free_role_and_it_is_no_longer_free(made):
    code, _, room = made
    sid = group_id(room, code)
    room.join(code, sid, "rusk", "  Ben  ", "seat-ben")
    assert "rusk" in {r for g, r in room.free_roles(code) if g.session.id != sid}
    assert "rusk" not in {r for g, r in room.free_roles(code) if g.session.id == sid}
    with pytest.raises(ClassError, match="Dean Rusk in Group A was just taken by Ben"):
        room.join(code, sid, "rusk", "Cleo", "seat-cleo")
    with pytest.raises(ClassError, match="enter your name first"):
        room.join(code, sid, "president", "   ", "seat-cleo")
    with pytest.raises(ClassError, match="this browser already plays Dean Rusk in Group A"):
        room.join(code, sid, "president", "Ben again", "seat-ben")
    with pytest.raises(ClassError, match="no role 'castro'"):
        room.join(code, sid, "castro", "Cleo", "seat-cleo")


def test_a_reload_comes_back_into_the_same_role(made, connect):
    code, _, room = made
    sid = group_id(room, code)
    room.join(code, sid, "rusk", "Ben", "seat-ben")
    again = connect().student("seat-ben")  # a new app process with the same seat cookie
    assert (again.code, again.session_id, again.role) == (code, sid, "rusk")
    assert connect().student("seat-someone-else") is None


def test_each_student_sees_only_their_own_briefing_and_recommendation(made):
    code, key, room = made
    sid = group_id(room, code)
    ana = room.join(code, sid, "president", "Ana", "seat-ana")
    ben = room.join(code, sid, "rusk", "Ben", "seat-ben")
    boss = room.facilitator(code, key)
    boss.advance()
    assert [b.text for b in ben.view().briefings] == ["You want inspection first."]
    assert ana.view().briefings == ()  # Rusk's briefing is not in the President's view
    ben.recommend(["withhold"])
    assert ben.view().own == ("withhold",)
    seen_by_ana = ana.view()
    assert seen_by_ana.own is None
    assert seen_by_ana.group.session.pending == {}  # Ben's pick is not even in Ana's data
    assert not ana.view().asked  # the chair decides: no recommendation to themself
    with pytest.raises(ClassError, match="The President is not asked to recommend"):
        ana.recommend(["withhold"])
    boss.advance()  # to the decision: the chair sees the recommendations, others do not
    assert ana.view().group.session.pending["pledge"] == {"rusk": ("withhold",)}
    assert set(ben.view().group.session.pending["pledge"]) == {"rusk"}


def test_a_student_cannot_act_for_another_role_nor_out_of_turn(made):
    code, key, room = made
    sid = group_id(room, code)
    ana = room.join(code, sid, "president", "Ana", "seat-ana")
    ben = room.join(code, sid, "rusk", "Ben", "seat-ben")
    with pytest.raises(ClassError, match="recommendations are closed"):
        ben.recommend(["withhold"])  # the class has not started
    boss = room.facilitator(code, key)
    boss.advance()
    with pytest.raises(ClassError, match="'give' is not an option you can choose now"):
        ben.recommend(["give"])  # refused by the policy machine
    with pytest.raises(ClassError, match="the decision is not open now"):
        ana.decide(["withhold"])
    boss.advance()
    with pytest.raises(ClassError, match="Dean Rusk does not take this decision"):
        ben.decide(["withhold"])
    with pytest.raises(ClassError, match="recommendations are closed"):
        ben.recommend(["withhold"])
    assert [e.kind for e in ana.decide(["withhold"])] == ["decision"]
    with pytest.raises(ClassError, match="the decision is not open now"):
        ana.decide(["withhold"])  # twice
    # There is no way to name another role: a Student acts as the seat's role only.
    assert room.groups(code)[0].session.decisions[0].by == "president"


def test_students_cannot_use_the_facilitators_actions(made):
    code, key, room = made
    with pytest.raises(ClassError, match="wrong facilitator key"):
        room.facilitator(code, "")
    with pytest.raises(ClassError, match="wrong facilitator key"):
        room.facilitator(code, key[:-1] + ("x" if key[-1] != "x" else "y"))
    assert room.facilitator(code, key).code == code


def test_a_round_from_recommendations_to_released_injects(made):
    code, key, room = made
    sid = group_id(room, code)
    ana = room.join(code, sid, "president", "Ana", "seat-ana")
    boss = room.facilitator(code, key)
    assert boss.advance() == "Round 1: students read and recommend."
    assert "Group B" in boss.advance()  # Group B has no chair: decided by its vote
    group_b = room.groups(code)[1]
    assert group_b.session.decisions[0].chosen == ("withhold",)  # Rusk's recorded position
    assert group_b.session.decisions[0].by == "group"
    ana.decide(["withhold"])
    with pytest.raises(ClassError, match="no inject left"):
        boss.release_inject()  # the pledge is answered by no cable
    assert "No inject this round: advance (a) to the next item." in boss.advance()
    boss.advance()  # round 2: pressure
    boss.advance()
    ana.decide(["wait"])
    view = ana.view()
    assert [e.kind for e in view.shown] == ["decision"]  # the cable waits for its release
    assert boss.injects() == (0, 1)
    assert boss.release_inject() == "Inject 1 of 1 released; advance (a) when ready."
    view = ana.view()
    assert [e.kind for e in view.shown] == ["decision", "response"]
    assert view.shown[1].step == "answer"


def test_the_class_plays_to_the_end_and_is_revealed(made):
    code, key, room = made
    boss = room.facilitator(code, key)
    for _ in range(12):
        if boss.state.stage == "over":
            break
        boss.advance()
    assert boss.state.stage == "over"
    assert all(g.game.finished for g in room.groups(code))
    boss.reveal()
    assert boss.state.stage == "revealed"
    with pytest.raises(ClassError, match="is over"):
        room.join(code, group_id(room, code), "rusk", "Late", "seat-late")


def test_pause_freezes_moves_and_the_timer(made):
    code, key, room = made
    sid = group_id(room, code)
    ben = room.join(code, sid, "rusk", "Ben", "seat-ben")
    boss = room.facilitator(code, key)
    boss.advance()
    before = time.time()
    boss.set_timer(5)
    after = time.time()  # five minutes from when it was set, however slow the machine
    assert before + 300 <= boss.state.timer_end <= after + 300
    assert boss.state.time_left(clock=before) >= 300 >= boss.state.time_left(clock=after)
    boss.pause()
    frozen = boss.state.time_left()
    with pytest.raises(ClassError, match="paused by the facilitator"):
        ben.recommend(["withhold"])
    time.sleep(0.05)
    assert boss.state.time_left() == frozen
    boss.resume()
    ben.recommend(["withhold"])
    assert boss.state.time_left() < frozen + 0.01
    with pytest.raises(ClassError, match="between 0 and 180"):
        boss.set_timer(-1)
    boss.set_timer(0)
    assert boss.state.time_left() is None


def test_a_freed_role_can_be_taken_again_and_the_old_seat_is_refused(made):
    code, key, room = made
    sid = group_id(room, code)
    ben = room.join(code, sid, "rusk", "Ben", "seat-ben")
    boss = room.facilitator(code, key)
    boss.advance()
    boss.free(sid, "rusk")
    with pytest.raises(ClassError, match="freed your role"):
        ben.recommend(["withhold"])
    room.join(code, sid, "rusk", "Ben", "seat-ben-new-browser").recommend(["withhold"])


def test_a_follower_sees_another_process_change_the_class(made, connect):
    code, key, room = made
    other = connect()
    follower = Follower(other, code)
    assert not follower.changed()
    room.facilitator(code, key).advance()
    assert follower.changed()
    assert not follower.changed()


def test_the_class_logic_imports_no_textual():
    code = (
        "import sys, exsim.classroom, exsim.classroom.web, exsim.cli.serve_command; "
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_browser_let_in_holds_a_place_and_its_name_for_its_time_only(made, monkeypatch):
    from exsim.classroom import room as room_module

    code, _, room = made
    assert room.places(code) == 4
    for n, name in enumerate(["Ana", "Ben", "Cleo"]):
        room.admit(code, name, f"seat-{n}")
    room.admit(code, "Ana B.", "seat-0")  # the same browser again: its own place, a new name
    assert room.admission("seat-0") == (code, "Ana B.")
    room.admit(code, "Ana", "seat-3")  # her first name is free again: the fourth place
    with pytest.raises(ClassError, match=r"every role in class .* is taken"):
        room.admit(code, "Dan", "seat-4")
    room.join(code, room.groups(code)[0].session.id, "rusk", "Ben", "seat-1")
    assert room.places(code) == 3  # taken: the place moved from the admission to the claim
    with pytest.raises(ClassError, match="every role"):
        room.admit(code, "Dan", "seat-4")
    monkeypatch.setattr(room_module, "ADMISSION_TIME", 0.0)  # ten minutes later
    assert room.admission("seat-0") is None
    room.admit(code, "Dan", "seat-4")
