"""Who did what in a class, kept for grading: decisions, recommendations and their reasons,
the facilitator's messages, the pages a student moved past, and which groups are compared."""

from __future__ import annotations

import pytest

from exsim.classroom import ClassError
from exsim.report.render import document


def test_a_chair_who_decided_and_was_freed_keeps_the_credit(made):
    code, key, room = made
    sid = room.groups(code)[0].session.id
    boss = room.facilitator(code, key)
    kim = room.join(code, sid, "president", "Kim", "seat-kim")
    boss.advance()
    boss.advance()
    kim.decide(["withhold"])
    boss.free(sid, "president")  # Kim leaves; Lee takes the chair and decides the next item
    lee = room.join(code, sid, "president", "Lee", "seat-lee")
    boss.advance()
    boss.advance()
    boss.advance()
    lee.decide(["wait"])
    d = room.groups(code)[0].debrief()
    assert [(r.id, r.decided_by_player) for r in d.decisions[:2]] == [
        ("pledge", "Kim"),
        ("pressure", "Lee"),
    ]
    assert [p.player for p in d.players if p.role == "president"] == ["Kim", "Lee"]
    md = document(d, "md")
    assert "(decided by Kim as The President)" in md
    assert "(decided by Lee as The President)" in md


def test_a_reason_goes_with_the_recommendation_to_the_chair_debrief_and_report(made):
    code, key, room = made
    sid = room.groups(code)[0].session.id
    boss = room.facilitator(code, key)
    ana = room.join(code, sid, "president", "Ana", "seat-ana")
    ben = room.join(code, sid, "rusk", "Ben", "seat-ben")
    boss.advance()
    ben.recommend(["withhold"], "  No pledge\nwithout   inspection. " + "x" * 300)
    reason = "No pledge without inspection. " + "x" * 170  # one line, 200 characters
    assert ben.view().group.reasons == {("pledge", "rusk"): reason}
    assert ana.view().group.reasons == {}  # not the chair's until the decision opens
    boss.advance()
    assert ana.view().group.reasons == {("pledge", "rusk"): reason}
    ana.decide(["withhold"])
    (rec,) = room.groups(code)[0].debrief().decisions[0].recommendations
    assert (rec.player, rec.reason) == ("Ben", reason)
    report = boss.comparison()
    assert [(w.group, w.player, w.reason) for w in report.decisions[0].reasons] == [
        ("Group A", "Ben", reason)
    ]
    assert f"Group A, Ben (Dean Rusk), for Withhold it: {reason}" in document(report, "md")


def test_messages_reach_one_group_or_the_whole_class_and_stay_in_the_debrief(made):
    code, key, room = made
    a = room.groups(code)[0].session.id
    boss = room.facilitator(code, key)
    with pytest.raises(ClassError, match="write the message first"):
        boss.message("   ")
    assert boss.message("Welcome, everyone") == "Sent to the whole class."
    boss.advance()
    assert boss.message("Group A: \x1b[31mfive minutes", a) == "Sent to Group A."
    first, second = room.groups(code)
    assert [(m.round, m.text, m.to_all) for m in first.messages] == [
        (0, "Welcome, everyone", True),
        (1, "Group A: \x1b[31mfive minutes", False),
    ]
    assert [m.text for m in second.messages] == ["Welcome, everyone"]
    md = document(first.debrief(), "md")
    assert "## The facilitator's messages" in md
    assert "to this group: Group A: \x1b\\[31mfive minutes" in md


def test_the_comparison_leaves_out_groups_nobody_joined(made):
    code, key, room = made
    sid = room.groups(code)[0].session.id
    room.join(code, sid, "rusk", "Ben", "seat-ben")
    boss = room.facilitator(code, key)
    while boss.state.stage != "over":
        boss.advance()
    report = boss.comparison()
    assert [s.group for s in report.sessions] == ["Group A"]
    assert [(x.group, x.reason) for x in report.left_out] == [("Group B", "nobody joined it")]
    assert report.decisions[0].reached == 1


def test_the_pages_a_student_moved_past_are_kept_for_a_reload(made, connect):
    code, _, room = made
    sid = room.groups(code)[0].session.id
    ben = room.join(code, sid, "rusk", "Ben", "seat-ben")
    ben.read("brief meeting")
    ben.read("brief meeting")
    assert connect().student("seat-ben").pages_read() == {"brief meeting"}
    room.facilitator(code, _).free(sid, "rusk")
    again = room.join(code, sid, "president", "Ben", "seat-ben")
    assert again.pages_read() == set()  # another role: its pages are still to read
