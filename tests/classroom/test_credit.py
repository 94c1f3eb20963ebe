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


def test_a_student_moved_to_another_group_keeps_what_they_did(made):
    code, key, room = made
    a, b = (g.session.id for g in room.groups(code))
    ben = room.join(code, a, "rusk", "Ben", "seat-ben")
    boss = room.facilitator(code, key)
    boss.advance()
    ben.recommend(["withhold"], "Inspection first")
    with pytest.raises(ClassError, match="Dean Rusk in Group A is played by Ben"):
        boss.move(a, "rusk", a, "rusk")
    with pytest.raises(ClassError, match="nobody plays that role"):
        boss.move(a, "president", b, "rusk")
    assert boss.move(a, "rusk", b, "rusk") == "Ben now plays Dean Rusk in Group B."
    moved = room.student("seat-ben")
    assert (moved.session_id, moved.role) == (b, "rusk")
    with pytest.raises(ClassError, match="freed your role"):
        ben.view()  # the old page's student: the page looks its seat up again (it moved)
    first, second = room.groups(code)
    assert first.claims == {} and second.claims == {"rusk": "Ben"}
    assert first.senders == {("pledge", "rusk"): "Ben"}  # his recommendation stays his
    assert first.reasons == {("pledge", "rusk"): "Inspection first"}


def test_the_gradebook_has_every_student_their_roles_acts_and_attendance(made):
    from exsim.report import gradebook

    code, key, room = made
    a, b = (g.session.id for g in room.groups(code))
    boss = room.facilitator(code, key)
    kim = room.join(code, a, "president", "=Kim", "seat-kim")
    ben = room.join(code, a, "rusk", "Ben", "seat-ben")
    room.arrive("seat-ben")
    room.arrive("seat-ben")  # a reload
    boss.advance()
    ben.recommend(["withhold"], "Inspection first")
    boss.advance()
    kim.decide(["withhold"])
    boss.move(a, "rusk", b, "rusk")
    book = boss.gradebook()
    assert [s.student for s in book.students] == ["=Kim", "Ben"]
    kim_row, ben_row = book.students
    assert [(h.group, h.role_name, h.end is None) for h in ben_row.roles] == [
        ("Group A", "Dean Rusk", False),
        ("Group B", "Dean Rusk", True),
    ]
    assert ben_row.groups == ["Group A", "Group B"]
    (rec,) = ben_row.recommendations
    assert (rec.title, rec.recommended, rec.reason) == (
        "The pledge",
        ["Withhold it"],
        "Inspection first",
    )
    assert (ben_row.same_as_record, ben_row.compared_with_record) == (1, 1)
    assert ben_row.attendance.page_loads == 2
    assert [(d.title, d.chosen, d.same_as_record) for d in kim_row.decisions] == [
        ("The pledge", ["Withhold it"], True)
    ]
    assert kim_row.attendance.page_loads == 0
    lines = gradebook.as_csv(book).splitlines()
    assert lines[0].startswith("student,groups,roles held (UTC),recommendations")
    assert lines[1].startswith("'=Kim,Group A,")  # never read as a formula
    assert "The pledge: Withhold it (Inspection first)" in lines[2]
    assert gradebook.Gradebook.model_validate_json(gradebook.as_json(book)) == book


def test_role_cards_have_a_page_per_role_with_only_what_it_knew():
    from exsim import paths
    from exsim.engine import open_campaign
    from exsim.report import role_cards

    campaign = open_campaign(paths.BUNDLED_SCENARIOS / "november-1962.yaml")
    md = role_cards.markdown(campaign)
    playable = [r for r in campaign.scenario.roles if r.playable]
    assert md.count("\n# ") + md.startswith("# ") == len(playable)
    assert "# Dean Rusk, Secretary of State" in md
    rusk = md.split("# Dean Rusk")[1].split("\n# ")[0]
    first = next(b for b in campaign.roles["rusk"].briefings)
    assert first.text.split(".")[0] in rusk
    assert "**You recommend:**" in rusk
    page = role_cards.page(campaign)
    assert "h1 ~ h1 { break-before: page;" in page and "<script" not in page


def test_a_paused_group_stays_on_its_item_while_the_others_play_on(made):
    code, key, room = made
    a, b = (g.session.id for g in room.groups(code))
    boss = room.facilitator(code, key)
    ben = room.join(code, a, "rusk", "Ben", "seat-ben")
    room.join(code, b, "rusk", "Cleo", "seat-cleo")
    boss.advance()
    assert boss.pause_group(a) == (
        "Group A is paused: its screens are frozen; the other groups play on."
    )
    assert ben.view().paused
    with pytest.raises(ClassError, match="your group is paused by the facilitator"):
        ben.recommend(["withhold"])
    boss.advance()  # the decision: Group B's vote takes it, Group A waits
    boss.advance()
    first, second = room.groups(code)
    assert not first.decided and second.decided
    boss.advance()  # round 2: Group B on its next item, Group A still on the pledge
    first, second = room.groups(code)
    assert (first.decision.id, second.decision.id) == ("pledge", "pressure")
    assert boss.pause_group(a) == "Group A plays on."
    assert not ben.view().paused
    ben.recommend(["withhold"])
    boss.advance()
    boss.advance()
    first, second = room.groups(code)
    assert first.decided and second.decided


def test_one_group_moves_on_by_its_vote_while_the_others_decide(made):
    code, key, room = made
    a, b = (g.session.id for g in room.groups(code))
    boss = room.facilitator(code, key)
    room.join(code, a, "president", "Ana", "seat-ana")
    cleo = room.join(code, b, "president", "Cleo", "seat-cleo")
    with pytest.raises(ClassError, match="while the chairs decide"):
        boss.advance_group(a)
    boss.advance()
    boss.advance()
    assert boss.advance_group(a) == "Group A: decided by its vote; the other groups play on."
    first, second = room.groups(code)
    assert first.decided and not second.decided
    assert cleo.view().deciding  # Cleo still decides for Group B
    with pytest.raises(ClassError, match="Group A has decided already"):
        boss.advance_group(a)
