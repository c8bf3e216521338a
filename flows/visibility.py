"""Which questions apply to a person, given what they have answered so far."""

from __future__ import annotations

from flows.model import Flow, Question
from flows.state import InterviewState


def visible(flow: Flow, state: InterviewState, question: Question) -> bool:
    """Whether a question applies, given the answers so far (its `when`)."""
    del flow
    if question.when is None:
        return True
    given = state.answers.get(question.when.question)
    if isinstance(given, list):
        return any(value in question.when.answers for value in given)
    return given in question.when.answers
