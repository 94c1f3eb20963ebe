"""No label is cut mid-word at 80 columns, across 20 random games of the bundled scenario: the
options of every decision, the debrief and the simulated outcomes (table and chart) as drawn,
the reports, and `exsim simulate`'s table. A label that does not fit goes on over more lines,
or is shortened to whole words and "…" where the whole text is shown too."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from tui_steps import NOVEMBER, next_, run, set_up

import exsim.tui
from exsim.cli import main
from exsim.engine import Game, open_campaign
from exsim.engine.game import option_sets
from exsim.report.debrief import build
from exsim.report.render import markdown
from exsim.tui.debrief_screen import DebriefScreen
from exsim.tui.distribution_screen import DistributionScreen, own_choices
from exsim.tui.widgets import OptionPicker, StatusPanel
from waiting import drawn, until

GAMES = 20
WIDTH = 80
WORD = re.compile(r"[A-Za-z][A-Za-z’'-]*")
CAMPAIGN = open_campaign(NOVEMBER)
# every word of the scenario and of exsim's own texts: a word cut short is (almost always)
# not one of them
PACKAGE = Path(exsim.tui.__file__).parents[1]
VOCABULARY = {
    word
    for path in [NOVEMBER, *PACKAGE.rglob("*.py"), PACKAGE / "tui" / "help.md"]
    for word in WORD.findall(path.read_text(encoding="utf-8"))
}


def cut_words(text: str, width: int = WIDTH) -> list[str]:
    """Words before an ellipsis, and words at the right edge of a full line, that are not
    whole words (lines of *text* drawn at *width* columns)."""
    cut = []
    for line in text.splitlines():
        for before in re.findall(r"([A-Za-z’'-]+)…", line):
            if before not in VOCABULARY:
                cut.append(f"{before}… in {line.strip()!r}")
        if len(line.rstrip()) >= width - 1:  # the line reaches the edge: its last word whole?
            last = WORD.findall(line.rstrip().split(" ")[-1])
            if last and last[-1] not in VOCABULARY:
                cut.append(f"{last[-1]} at the edge of {line.strip()!r}")
    return cut


def whole(label: str, shown: str) -> bool:
    """Every word of *label* is shown whole, in order (a table's figures may come between
    the lines of a label that goes on over more lines)."""
    words = iter(WORD.findall(shown))
    return all(any(w == s for s in words) for w in WORD.findall(label))


def random_game(seed: int, at_decision=None) -> Game:
    """A what-if game with random choices; *at_decision(game)* is called before each one."""
    pick = random.Random(seed)
    game = Game(CAMPAIGN, seed=seed, mode="what-if")
    while not game.finished:
        if at_decision is not None:
            at_decision(game)
        decision = game.current.decision
        allowed = {o.id for o in game.options(decision) if o.allowed}
        sets = [s for s in option_sets(decision) if set(s) <= allowed]
        game.decide(decision.id, list(pick.choice(sets)))
    return game


class Page(App):
    """The game's look, with one page to fill."""

    CSS_PATH = str(Path(exsim.tui.__file__).parent / "exsim.tcss")

    def compose(self) -> ComposeResult:
        yield VerticalScroll(id="body")


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
def test_the_status_panel_names_every_dimension_whole_from_the_first_screen(make_app, size):
    """Each dimension's short label and state, whole on one line of the panel as drawn, on
    every screen from the first (the briefing) through four decisions that leave the record
    (so states change), each cell where it was on the first screen; a dimension not known yet
    reads "—"."""
    app = make_app(NOVEMBER)
    dimensions = CAMPAIGN.scenario.machine.dimensions
    problems: list[str] = []
    places: set[tuple[int, ...]] = set()

    async def steps(pilot):
        await set_up(pilot, [("Ana", "president")])
        assert type(app.screen).__name__ == "BriefingScreen"
        decided = 0
        while decided < 4:
            rows = drawn(app).splitlines()[: app.screen.query_one(StatusPanel).outer_size.height]
            state = app.sitting.game.state
            cells = []
            day = app.sitting.game.date
            for dim in dimensions:
                if not CAMPAIGN.dimension_known(dim.id, day):
                    continue  # not known yet: its place reads "—"
                now = next(s for s in dim.states if s.id == state[dim.id])
                cells.append(f"{dim.short or dim.label}: {now.short or now.label}")
            unknown = len(dimensions) - len(cells)
            assert "\n".join(rows).count("—") == unknown
            found = [next(((y, r.find(c)) for y, r in enumerate(rows) if c in r), c) for c in cells]
            problems.extend(f"{c!r} not whole on one line of {rows}" for c in found if c in cells)
            places.add(tuple(found))
            problems.extend(cut_words("\n".join(rows), size[0]))
            if type(app.screen).__name__ in ("RecommendScreen", "DecideScreen"):
                picker = app.screen.query_one(OptionPicker)
                picker.select((next(o.id for o in reversed(picker.statuses) if o.allowed),))
                decided += type(app.screen).__name__ == "DecideScreen"
            await next_(pilot)
        moved = [d.id for d in dimensions if app.sitting.game.state[d.id] != d.initial]
        assert len(moved) >= 3, moved

    run(app, steps, size=size)
    assert not problems, problems
    assert len(places) == 1, places


def test_no_label_is_cut_mid_word_on_the_screens_at_80_columns():
    import asyncio

    app = Page()
    problems: list[str] = []
    pickers: list[OptionPicker] = []

    async def steps(pilot):
        body = app.query_one("#body")
        games = []
        for seed in range(GAMES):
            games.append(random_game(seed, lambda game: pickers.append(picker_of(game))))
            for picker in pickers:
                if seen(picker):
                    continue
                await body.mount(picker)
                await pilot.pause()
                for status in picker.statuses:
                    widget = picker.query_one(f"#opt-{status.id}")
                    shown = " ".join(
                        widget.render_line(y).text for y in range(widget.outer_size.height)
                    )
                    if not whole(status.label, shown):
                        problems.append(f"option {status.label!r} shown as {shown!r}")
                problems.extend(cut_words(drawn(app)))
                await picker.remove()
            pickers.clear()
        await pilot.resize_terminal(WIDTH, 400)  # the whole debrief at once
        for game in games[:5] + games[-2:]:  # the debrief and the simulated outcomes
            app.push_screen(DebriefScreen(game, None))
            await until(pilot, lambda: isinstance(app.screen, DebriefScreen), "the debrief")
            problems.extend(cut_words(drawn(app)))
            app.push_screen(DistributionScreen(game, runs=300))
            await until(pilot, lambda: app.screen.query("#chart"), "the chart")
            await pilot.pause(0.2)
            text = drawn(app)
            problems.extend(cut_words(text))
            result = app.screen.result
            for row in result.rows():
                if not whole(row["shown"], text):
                    problems.append(f"outcome {row['shown']!r} not shown whole")
            app.pop_screen()
            app.pop_screen()

    async def main() -> None:
        async with app.run_test(size=(WIDTH, 40)) as pilot:
            await steps(pilot)

    asyncio.run(main())
    assert not problems, "\n".join(problems[:20])


SHOWN: set[tuple] = set()


def seen(picker: OptionPicker) -> bool:
    """True if options the same as *picker*'s were shown already (games share decisions)."""
    key = (picker.decision.id, tuple((o.id, str(o.refusal)) for o in picker.statuses))
    if key in SHOWN:
        return True
    SHOWN.add(key)
    return False


def picker_of(game: Game) -> OptionPicker:
    """The options of *game*'s open decision, as they stand now (built now, shown later)."""
    return OptionPicker(game, game.current.decision)


@pytest.mark.parametrize("seed", range(GAMES))
def test_no_label_is_cut_in_the_reports_or_simulates_table(seed, tmp_path):
    game = random_game(seed)
    report = markdown(build(game, None))
    for entry in game.log:
        if entry.kind == "decision":
            labels = {o.id: o.label for o in CAMPAIGN.decisions[entry.step].options}
            for chosen in entry.chosen:
                assert whole(labels[chosen], report), labels[chosen]
    assert whole(game.ending.title, report)
    policy = tmp_path / "policy.yaml"
    choices = {d: list(c) for d, c in own_choices(game).items()}
    policy.write_text(yaml.safe_dump({"decisions": choices}), encoding="utf-8")
    args = ["simulate", str(NOVEMBER), "--policy", str(policy), "--runs", "200"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    table = [line for line in result.output.splitlines() if "▇" not in line and "──" not in line]
    assert max(len(line) for line in table) <= WIDTH
    assert not cut_words(result.output)
    rows = json.loads(CliRunner().invoke(main, [*args, "--json"]).output)["policies"][0]["rows"]
    for row in rows:  # each value shown whole in the table, figures after its first line
        assert whole(row["shown"], "\n".join(table)), row["shown"]
