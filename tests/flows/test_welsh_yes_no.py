"""Welsh yes and no in the form the question's verb takes, not "Ie / Na" for everything."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import load_flow
from flows.check import welsh_yes_no_warnings
from flows.inputs import Control
from flows.loader import DEFINITIONS, rules_folder
from flows.prompts import answer_label
from flows.safeguarding import load_detector
from flows.text import pick
from tests.flows.helpers import Conversation, real_flow

# The answer form each way a question of the foster-carer flow opens calls for: the verb
# of the question, mutated or not, and whether its subject is "chi" or plural things.
FORM_OF_OPENING = {
    "hoffech": ("Hoffwn", "Na hoffwn"),
    "oeddech": ("Oeddwn", "Nac oeddwn"),
    "oedd eich": ("Oedden", "Nac oedden"),
    "gawsoch": ("Do", "Naddo"),
    "cawsoch": ("Do", "Naddo"),
    "wnaethoch": ("Do", "Naddo"),
    "fyddech": ("Byddwn", "Na fyddwn"),
}


def expected_words(welsh_question: str) -> tuple[str, str]:
    """The yes and no a Welsh speaker would give, read from the question's last sentence."""
    asked = welsh_question.rstrip("?").split(". ")[-1].lower()
    opening = next(o for o in FORM_OF_OPENING if asked.startswith(o))
    return FORM_OF_OPENING[opening]


def walk_welsh_yes_no_questions() -> dict[str, list[str]]:
    """Every yes/no question a Welsh carer can reach, with the labels of its buttons:
    yes is tapped at each, so the questions that follow a yes are reached too."""
    flow = real_flow("foster-carer")
    ids = {q.id: q for q in flow.questions()}
    chat = Conversation(flow)
    chat.start(language="cy")
    chat.tap("yes")
    seen: dict[str, list[str]] = {}
    for _ in range(200):
        current = chat.state.current
        if current not in ids:
            break
        if ids[current].kind == "yes_no" and current not in seen:
            seen[current] = [
                b.label
                for m in chat.last.messages
                for b in m.all_buttons()
                if not b.value.startswith("_")
            ]
            chat.tap("yes")
        else:
            chat.control(Control.SKIP)
    return seen


def test_every_welsh_yes_no_question_shows_its_verb_form() -> None:
    flow = real_flow("foster-carer")
    questions = {q.id: q for q in flow.questions() if q.kind == "yes_no"}
    seen = walk_welsh_yes_no_questions()
    assert set(seen) == set(questions)
    for question_id, labels in seen.items():
        yes, no = expected_words(pick(questions[question_id].text, "cy"))
        words = [label.split(" ", 1)[-1] if not label[0].isalnum() else label for label in labels]
        assert words[:2] == [yes, no], question_id
        assert "Ie" not in words and "Na" not in words, question_id


def test_english_buttons_are_unchanged() -> None:
    chat = Conversation(real_flow("foster-carer"))
    chat.start(language="en")
    chat.tap("yes")
    while chat.state.current != "respite":
        chat.control(Control.SKIP)
    labels = [b.label for m in chat.last.messages for b in m.all_buttons()]
    assert "👍 Yes" in labels and "👎 No" in labels


@pytest.mark.parametrize(
    ("question", "typed", "value"),
    [
        ("respite", "naddo", "no"),
        ("respite", "Do", "yes"),
        ("finance", "nac oedden", "no"),
        ("foster_again", "Na fyddwn", "no"),
        ("foster_again", "byddwn", "yes"),
        ("counselling_information", "na hoffwn", "no"),
        ("respite", "nac oes", "no"),
        ("respite", "oes", "yes"),
    ],
)
def test_a_typed_welsh_answer_is_stored_as_yes_or_no(question: str, typed: str, value: str) -> None:
    chat = Conversation(real_flow("foster-carer"))
    chat.start(language="cy")
    chat.tap("yes")
    while chat.state.current != question:
        chat.control(Control.SKIP)
    chat.type(typed)
    assert chat.state.answers[question] == value


def test_the_welsh_review_reads_in_the_form_and_english_is_unchanged() -> None:
    flow = real_flow("foster-carer")
    respite = next(q for q in flow.questions() if q.id == "respite")
    assert answer_label(respite, "no", "cy") == "Naddo"
    assert answer_label(respite, "yes", "cy") == "Do"
    assert answer_label(respite, "no", "en") == "No"
    assert answer_label(respite, "not_sure", "cy") == "Ddim yn siŵr"


def test_the_foster_carer_flow_has_no_welsh_yes_no_warning() -> None:
    assert welsh_yes_no_warnings(real_flow("foster-carer")) == []


def test_flows_check_warns_of_a_welsh_yes_no_question_without_its_form(tmp_path: Path) -> None:
    source = (DEFINITIONS / "foster-carer.yaml").read_text(encoding="utf-8")
    line = next(text for text in source.splitlines() if "welsh_yes_no: do" in text)
    path = tmp_path / "foster-carer.yaml"
    path.write_text(source.replace(line + "\n", "", 1), encoding="utf-8")
    flow = load_flow(path, detector=load_detector(rules_folder(DEFINITIONS)))
    [warning] = welsh_yes_no_warnings(flow)
    assert "'respite'" in warning and "welsh_yes_no" in warning


def test_an_english_only_flow_has_no_welsh_warning() -> None:
    assert welsh_yes_no_warnings(real_flow("children-home")) == []
