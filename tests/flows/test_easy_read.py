"""The easy-read interview: every question of Appendix 1, in one short sentence with a
picture, faces on Yes / No / Not sure, few words before the first button, a low reading
grade, and every control, the review and help kept. With an adult helping, they are spoken
to first and reminded not to answer for the young person."""

from __future__ import annotations

import re
import statistics

import pyphen

from flows import events as ev
from flows.model import Flow
from flows.text import pick
from tests.flows.helpers import Conversation, real_flow
from tests.flows.test_flow_content import appendix_questions

SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
HYPHENATOR = pyphen.Pyphen(lang="en_GB")


def easy() -> Flow:
    return real_flow("children-home-easy-read")


def words(text: str) -> list[str]:
    return WORD.findall(text)


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip()) if words(s)]


def pictured(text: str) -> bool:
    """Starts with a picture (an emoji or symbol), not a letter."""
    first = text.strip()[:1]
    return bool(first) and not first.isalnum()


def grade(text: str) -> float:
    """Flesch-Kincaid grade level, syllables counted by hyphenation."""
    found = words(text)
    syllables = sum(len(HYPHENATOR.positions(w.lower())) + 1 for w in found)
    return 0.39 * len(found) / max(1, len(sentences(text))) + 11.8 * syllables / len(found) - 15.59


def test_every_appendix_question_is_asked_in_easy_read() -> None:
    seeds = {q.seed for q in easy().questions()}
    assert [q for q in appendix_questions() if q not in seeds] == []


def test_each_question_is_one_short_sentence_with_a_picture() -> None:
    for question in easy().questions():
        text = pick(question.text, "en")
        assert len(sentences(text)) == 1, question.id
        assert len(words(text)) <= 10, (question.id, text)
        assert pictured(text), question.id
        for option in question.options:
            assert pictured(pick(option.text, "en")), (question.id, option.id)
        for label in question.scale.labels if question.scale else []:
            assert pictured(pick(label, "en")), question.id


def test_every_sentence_the_flow_says_is_ten_words_at_most() -> None:
    flow = easy()
    texts = [
        flow.introduction.readers,
        flow.introduction.consent,
        *flow.introduction.messages,
        flow.ending,
        flow.declined,
        flow.help_intro,
        flow.concern_message,
        *(q.help for q in flow.questions() if q.help),
        *(reply for q in flow.questions() for reply in q.replies.values()),
    ]
    for text in texts:
        for sentence in sentences(pick(text, "en")):
            assert len(words(sentence)) <= 10, sentence


def test_the_median_reading_grade_is_two_at_most() -> None:
    grades = [grade(pick(q.text, "en")) for q in easy().questions()]
    assert statistics.median(grades) <= 2, statistics.median(grades)
    plain = [grade(pick(q.text, "en")) for q in real_flow("children-home").questions()]
    assert statistics.median(grades) < statistics.median(plain), "easier than the usual version"


def test_forty_words_at_most_before_the_first_button_and_faces_on_yes_no() -> None:
    talk = Conversation(easy())
    talk.start()
    before = []
    for message in talk.last.messages:
        before.append(message.text)
        if message.buttons:
            break
    assert len(words(" ".join(before))) <= 40
    talk.tap("yes")
    labels = [b.label for m in talk.last.messages for b in m.all_buttons()]
    assert labels[:3] == ["😀 Yes", "🙁 No", "🤔 Not sure"]
    values = [b.value for m in talk.last.messages for b in m.all_buttons()]
    assert {"_skip", "_back", "_pause", "_stop", "_help"} <= set(values)


def test_a_neutral_question_has_no_happy_face_on_yes() -> None:
    talk = Conversation(easy())
    talk.consent()
    while talk.state.current != "bullied":
        talk.tap("_skip")
    labels = [b.label for m in talk.last.messages for b in m.all_buttons()]
    assert "😀 Yes" not in labels and "✔ Yes" in labels


def test_it_keeps_help_and_the_review() -> None:
    talk = Conversation(easy())
    talk.consent()
    talk.tap("_help")
    assert any("Childline" in t for t in talk.texts())
    for _ in range(200):
        if talk.state.phase.value == "summary":
            break
        talk.tap("_skip")
    assert talk.state.phase.value == "summary"
    talk.tap("confirm")
    assert any(isinstance(e, ev.Completed) for e in talk.last.events)


def test_an_adult_helping_is_spoken_to_first() -> None:
    talk = Conversation(easy())
    talk.state.supported = True
    talk.start()
    first = talk.texts()[0]
    assert "adult helping" in first and "Do not answer for them" in first
    plain = Conversation(easy())
    plain.start()
    assert not any("adult helping" in t for t in plain.texts())
