"""The detector a flow carries is read on first use, yet finds what the full one finds, and
a broken rules file still stops `flows check` and a server's start."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from flows import FlowError, load_flows
from flows.loader import DEFINITIONS, ready_safeguarding
from flows.safeguarding import DEFAULT_RULES, Tier, load_detector
from flows.safeguarding.deferred import DeferredDetector, deferred_detector

BROKEN_RULE = """
  - id: broken_on_purpose
    category: threats
    patterns:
      - "{no_such_list} hurt me"
"""


@pytest.fixture
def flows_with_broken_rules(tmp_path: Path) -> Path:
    """A copy of the shipped flows whose English rules hold one pattern naming no list."""
    folder = tmp_path / "flows"
    shutil.copytree(DEFINITIONS, folder)
    rules = folder / "safeguarding" / "en.yaml"
    rules.write_text(rules.read_text(encoding="utf-8") + BROKEN_RULE, encoding="utf-8")
    return folder


def test_the_deferred_detector_finds_what_the_full_one_finds() -> None:
    deferred = deferred_detector(DEFAULT_RULES)
    full = load_detector(DEFAULT_RULES)
    assert isinstance(deferred, DeferredDetector)
    assert set(deferred.languages) == set(full.languages) == {"en", "cy"}
    for text in ("he hit me and said not to tell", "mae e'n fy nharo i", "I liked the garden"):
        assert deferred.findings(text) == full.findings(text)
    assert deferred.findings("he hit me and said not to tell")[0].tier is Tier.RED
    assert deferred.model is not None
    assert deferred.model.threshold == pytest.approx(full.model.threshold if full.model else -1)


def test_a_broken_rules_file_stops_a_server_and_flows_check_but_not_other_commands(
    flows_with_broken_rules: Path,
) -> None:
    flows = load_flows(flows_with_broken_rules)  # a command that never checks words
    assert "children-home" in flows
    with pytest.raises(FlowError) as server:
        ready_safeguarding(flows)
    assert "no list" in str(server.value.problems[0])
    with pytest.raises(FlowError) as check:
        load_detector(flows_with_broken_rules / "safeguarding")
    assert "no list" in str(check.value.problems[0])
    with pytest.raises(FlowError):
        flows["children-home"].safeguarding.findings("he hit me")  # type: ignore[union-attr]
