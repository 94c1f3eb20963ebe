"""The class's debrief as the student's page draws it (Pilot): headings stand out, the body
does not take their style."""

from __future__ import annotations

import asyncio

from exsim.tui.classroom.student_app import StudentApp
from waiting import until


def styled_cells(app) -> list[tuple[str, bool]]:
    """(text, bold and underlined) of every drawn segment with a visible character."""
    return [
        (seg.text, bool(seg.style and seg.style.bold and seg.style.underline))
        for strip in app.screen._compositor.render_strips()
        for seg in strip
        if seg.text.strip()
    ]


def test_the_debrief_body_is_plain_under_its_bold_underlined_headings(made, connect):
    code, key, room = made
    sid = room.groups(code)[0].session.id
    room.join(code, sid, "rusk", "Ben", "seat-ben")
    boss = room.facilitator(code, key)
    boss.advance()
    room.student("seat-ben").recommend(["withhold"])
    while boss.state.stage != "over":
        boss.advance()
    boss.reveal()
    app = StudentApp(connect(), "seat-ben")

    async def steps(pilot):
        debrief = "ClassDebriefScreen"
        await until(pilot, lambda: type(app.screen).__name__ == debrief, "the debrief")
        cells = styled_cells(app)
        headings = [text for text, marked in cells if marked]
        body = [text for text, marked in cells if not marked]
        assert headings, "the debrief's headings are bold and underlined"
        assert any("Ben (Dean Rusk) recommended" in text for text in body)
        assert not any("recommended" in text for text in headings)
        marked = sum(len(text) for text in headings)
        assert marked < sum(len(text) for text, _ in cells) / 5  # the headings only

    async def main():
        async with app.run_test(size=(100, 40)) as pilot:
            await steps(pilot)

    asyncio.run(main())
