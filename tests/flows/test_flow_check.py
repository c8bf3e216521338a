"""`flows check` finds every problem in a flow file and says where and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import FlowError, load_flow
from flows.check import placeholder_helpline_warnings
from flows.help import HelpDirectory, load_help_directory
from tests.flows.helpers import FIXTURES

GOOD = (FIXTURES / "every-kind.yaml").read_text(encoding="utf-8")


def broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in GOOD
    path = tmp_path / "broken.yaml"
    path.write_text(GOOD.replace(old, new), encoding="utf-8")
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(FlowError) as caught:
        load_flow(path)
    return [str(p) for p in caught.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), start=1) if needle in line)


def test_the_fixture_itself_is_valid() -> None:
    assert load_flow(FIXTURES / "every-kind.yaml").id == "every-kind"


def test_unknown_question_in_when_is_reported_with_its_line(tmp_path: Path) -> None:
    path = broken(tmp_path, "when: {question: q_yes_no", "when: {question: q_nowhere")
    found = problems(path)
    assert any("unknown question 'q_nowhere'" in p for p in found)
    line = line_of(path.read_text(), "q_nowhere")
    assert any(f":{line}:" in p for p in found)


def test_duplicate_ids_are_reported(tmp_path: Path) -> None:
    found = problems(broken(tmp_path, "id: q_choice", "id: q_yes_no"))
    assert any("used twice" in p for p in found)


def test_unreachable_question_is_reported(tmp_path: Path) -> None:
    found = problems(broken(tmp_path, 'answers: ["no"]', 'answers: ["never"]'))
    assert any("can never be reached" in p for p in found)


def test_choice_with_no_options_is_reported(tmp_path: Path) -> None:
    text = GOOD.replace(
        '          - {id: me, text: "I did"}\n          - {id: them, text: "They did"}\n', ""
    )
    text = text.replace('text: "Who decided?"\n        options:\n', 'text: "Who decided?"\n')
    path = tmp_path / "no-options.yaml"
    path.write_text(text, encoding="utf-8")
    assert any("fewer than two options" in p for p in problems(path))


def test_missing_language_is_reported(tmp_path: Path) -> None:
    found = problems(broken(tmp_path, "languages: [en]", "languages: [en, cy]"))
    assert any("no cy version" in p for p in found)


def test_text_longer_than_a_phone_screen_is_reported(tmp_path: Path) -> None:
    found = problems(broken(tmp_path, '"Anything else?"', '"' + "Anything else? " * 30 + '"'))
    assert any("more than one phone screen" in p for p in found)


def test_a_compulsory_question_is_refused(tmp_path: Path) -> None:
    found = problems(broken(tmp_path, "kind: scale\n", "kind: scale\n        required: true\n"))
    assert any("compulsory" in p for p in found)


def test_a_promise_of_secrecy_is_refused(tmp_path: Path) -> None:
    found = problems(
        broken(tmp_path, '"Thank you."', '"Thank you. This is completely confidential."')
    )
    assert any("promises secrecy" in p for p in found)


def test_a_flow_with_no_signposting_for_its_audience_is_refused(tmp_path: Path) -> None:
    found = problems(broken(tmp_path, "helplines: [childline]", "helplines: [fosterline]"))
    assert any("must signpost" in p for p in found)


def test_several_problems_are_all_reported_at_once(tmp_path: Path) -> None:
    text = GOOD.replace("id: q_choice", "id: q_yes_no").replace('answers: ["no"]', 'answers: ["x"]')
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    assert len(problems(path)) >= 2


def test_bad_yaml_is_reported_with_a_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\ntitle: [unclosed\n", encoding="utf-8")
    found = problems(path)
    assert any("not valid YAML" in p for p in found)


def test_a_placeholder_helpline_is_named_in_a_warning() -> None:
    directory = HelpDirectory.model_validate(
        {
            "organisations": [
                {"id": "childline", "name": "Childline", "contact": "call 0800 1111"},
                {"id": "local_advocacy", "name": "Advocacy", "contact": "ask", "configure": True},
            ]
        }
    )
    [warning] = placeholder_helpline_warnings(directory, "helplines.yaml")
    assert "'local_advocacy'" in warning and "helplines.yaml" in warning
    assert placeholder_helpline_warnings(load_help_directory()) != []
