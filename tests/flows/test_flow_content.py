"""The two shipped flows say what the source documents and the field require."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows import load_flows
from flows.text import pick
from tests.flows.helpers import real_flow

SEEDS = Path(__file__).resolve().parents[2] / "docs" / "sources"
APPENDIX_HEADING = "Appendix 1: Exit Interviews - Questions for Interviewers"


def appendix_questions() -> list[str]:
    text = (SEEDS / "children-homes-exit-interviews.txt").read_text(encoding="utf-8")
    after = text.split(APPENDIX_HEADING)[-1]
    return [line.strip() for line in after.splitlines() if line.strip()]


def test_the_seed_document_is_where_the_test_expects_it() -> None:
    questions = appendix_questions()
    assert len(questions) == 44
    assert questions[0] == "Were you happy living here?"


def test_every_appendix_question_has_a_flow_question_with_it_as_seed() -> None:
    flow = load_flows()["children-home"]
    seeds = {q.seed for q in flow.questions()}
    missing = [q for q in appendix_questions() if q not in seeds]
    assert missing == []


def test_appendix_questions_keep_the_appendix_order() -> None:
    flow = load_flows()["children-home"]
    order = [q.seed for q in flow.questions() if q.seed]
    # A seed may serve several questions (a question split in two; "How was this dealt
    # with?" after an upsetting incident as well as after bullying): its last use counts.
    last = {seed: position for position, seed in enumerate(order)}
    positions = [last[q] for q in appendix_questions()]
    assert positions == sorted(positions)


def test_young_peoples_questions_are_short_and_plain() -> None:
    flow = load_flows()["children-home"]
    for question in flow.questions():
        text = pick(question.text, "en")
        first_sentence = text.split("?")[0]
        assert len(first_sentence.split()) <= 16, question.id
        assert "IRO" not in text and "Independent Reviewing" not in text


def test_introduction_says_who_reads_and_never_promises_secrecy() -> None:
    for flow in load_flows().values():
        readers = pick(flow.introduction.readers, "en").lower()
        assert "read" in readers
        assert "must" in readers, "that a risk is passed on is said before the first button"
        first = flow.questions()[0]
        assert first.limits_circulation, "fewer people is asked first, beside who reads"
        everything = flow.model_dump_json().lower()
        for promise in ("will stay secret", "completely confidential", "won't tell anyone"):
            assert promise not in everything


@pytest.mark.parametrize("flow_id", ["children-home", "foster-carer"])
def test_every_flow_has_no_compulsory_question(flow_id: str) -> None:
    flow = load_flows()[flow_id]
    assert not any(q.required for q in flow.questions())


def test_foster_carer_flow_is_fully_bilingual() -> None:
    flow = load_flows()["foster-carer"]
    assert set(flow.languages) == {"cy", "en"}
    for question in flow.questions():
        assert question.text.get("cy") and question.text.get("en")


def test_helplines_are_organisations_never_a_named_person() -> None:
    everything = " ".join(
        p.read_text(encoding="utf-8")
        for p in (Path(__file__).resolve().parents[2] / "flows" / "definitions").glob("*.yaml")
    )
    assert "07541" not in everything
    assert "Jasmin" not in everything


def test_carers_in_wales_are_offered_welsh_services_and_irm_cymru() -> None:
    flow = real_flow("foster-carer")
    assert "fosterline" not in flow.helplines and "fosterline_wales" in flow.helplines
    assert "irm_cymru" in flow.helplines
    replies = flow.question("how_ended").replies
    assert "IRM Cymru" in replies["approval_ended"]["en"]
    assert "today" not in flow.concern_message["en"]
    counselling = flow.question("counselling_information").replies["yes"]["en"]
    assert "independent agency" in counselling and "Fostering Network members" in counselling


def test_every_carers_question_has_a_seed_from_the_fostering_network_document() -> None:
    source = " ".join(
        (
            Path(__file__).resolve().parents[2]
            / "docs/sources/foster-carers-wales-exit-interviews.txt"
        )
        .read_text(encoding="utf-8")
        .split()
    ).lower()
    for question in real_flow("foster-carer").questions():
        assert question.seed, f"{question.id} has no seed"
        quoted = question.seed.split(" (")[0].rstrip(".").lower()
        assert quoted in source, f"{question.id}'s seed does not quote the source: {quoted}"
