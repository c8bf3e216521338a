"""A server says at start-up which helplines still hold the shipped placeholder."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
import yaml

from bot.core.context import warn_of_placeholder_helplines
from flows.help import DEFAULT_HELPLINES, load_help_directory


def context_with(helplines: Path) -> Any:
    return cast(Any, SimpleNamespace(help=load_help_directory(helplines)))


def test_each_placeholder_helpline_is_named_in_the_log(caplog: pytest.LogCaptureFixture) -> None:
    shipped = load_help_directory(DEFAULT_HELPLINES)
    placeholders = [o.id for o in shipped.unconfigured()]
    assert placeholders, "the shipped file has local services for a council to fill in"
    with caplog.at_level(logging.WARNING):
        count = warn_of_placeholder_helplines(context_with(DEFAULT_HELPLINES))
    assert count == len(placeholders)
    lines = [r.getMessage() for r in caplog.records if "helpline_placeholder" in r.getMessage()]
    assert len(lines) == len(placeholders)
    for line, organisation in zip(lines, placeholders, strict=True):
        assert f"helpline={organisation}" in line and "EXIT_HELPLINES" in line


def test_a_filled_in_helplines_file_logs_nothing(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    data = yaml.safe_load(DEFAULT_HELPLINES.read_text(encoding="utf-8"))
    for organisation in data["organisations"]:
        organisation.pop("configure", None)
    filled = tmp_path / "helplines.yaml"
    filled.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        assert warn_of_placeholder_helplines(context_with(filled)) == 0
    assert not [r for r in caplog.records if "helpline_placeholder" in r.getMessage()]
