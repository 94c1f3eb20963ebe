"""The "why it is plausible" texts shown with simulated cables tell nothing the table could not
know that day: the FRUS documents they name are dated no later than the cable, and none names
what became known only decades later."""

from __future__ import annotations

import re
from collections.abc import Iterator

from exsim import paths
from exsim.engine import open_campaign

NAMED = re.compile(r"FRUS XI,? (\d+(?:(?:, | and )\d+)*)")


def named(text: str) -> Iterator[str]:
    """The source ids of the FRUS XI documents *text* names in prose ('FRUS XI 158, 163')."""
    for match in NAMED.finditer(text):
        for number in re.findall(r"\d+", match.group(1)):
            yield f"frus_xi_{number}"


def test_no_rationale_shown_with_a_cable_names_a_later_document_or_hindsight():
    s = open_campaign(paths.BUNDLED_SCENARIOS / "november-1962.yaml").scenario
    dates = {src.id: src.date for src in s.sources}
    hindsight = [src for src in s.sources if src.hindsight]
    assert [src.id for src in hindsight] == ["wilson_khrushchev_mikoyan"]
    checked = 0
    for response in s.responses:
        for outcome in response.outcomes:
            texts = [outcome.text, outcome.rationale or ""]
            texts += [m.rationale for m in outcome.modifiers]
            for text in texts:
                assert "11 November" not in text, (response.id, outcome.id, text)
                for source_id in named(text):
                    checked += 1
                    assert dates[source_id] <= response.date, (response.id, outcome.id, text)
    assert checked > 10
