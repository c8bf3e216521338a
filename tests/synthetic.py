"""Synthetic interviews for report and export tests: made-up people, never real data.

Each interview is written through storage's real unit of work (one committed step holding
the consent, answers, skips and ending), and the generator keeps its own record of what it
wrote, so tests can count independently of the code under test.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flows import Flow, InterviewState, Phase
from flows import events as ev
from flows.outputs import Step
from storage import Actor, Storage

OPERATOR = Actor.for_operator("synthetic")
STATUSES = ("completed", "completed", "completed", "stopped", "declined", "in_progress")


@dataclass
class Made:
    """What the generator wrote for one interview."""

    interview_id: str
    service: str
    status: str
    answers: dict[str, str | list[str]] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    concern: bool = False


def _answer(
    flow: Flow, chooser: random.Random, text: str
) -> tuple[dict[str, str | list[str]], set[str]]:
    answers: dict[str, str | list[str]] = {}
    skipped: set[str] = set()
    for question in flow.questions():
        if question.when is not None:
            given = answers.get(question.when.question)
            values = given if isinstance(given, list) else [given]
            if not any(v in question.when.answers for v in values):
                continue
        if chooser.random() < 0.1:
            skipped.add(question.id)
        elif question.kind == "text":
            answers[question.id] = text
        elif question.kind == "multi":
            answers[question.id] = sorted(
                chooser.sample(question.answer_values(), chooser.randint(1, 3))
            )
        else:
            answers[question.id] = chooser.choice(question.answer_values())
    return answers, skipped


async def make_interviews(
    storage: Storage,
    flow: Flow,
    count: int,
    services: list[str],
    start: datetime,
    seed: int = 7,
    free_text: str = "Synthetic words",
) -> list[Made]:
    chooser = random.Random(seed)
    made: list[Made] = []
    for n in range(count):
        at = start + timedelta(hours=n)
        service = services[n % len(services)]
        invitation = await storage.interviews.invite(
            flow_id=flow.id,
            flow_version=flow.version,
            display_name=f"Synthetic {n}",
            service=service,
            language="en",
            expires_at=at + timedelta(days=28),
            actor=OPERATOR,
            at=at,
        )
        status = chooser.choice(STATUSES)
        record = Made(invitation.interview_id, service, status)
        events: list[ev.Event] = []
        state = InterviewState(flow_id=flow.id, last_activity=at)
        if status == "declined":
            events.append(ev.ConsentRefused())
            state.phase = Phase.DECLINED
        else:
            events.append(ev.ConsentGiven())
            record.answers, record.skipped = _answer(flow, chooser, free_text)
            for question_id, value in record.answers.items():
                events.append(ev.AnswerRecorded(question=question_id, value=value, label="x"))
            events.extend(ev.QuestionSkipped(question=q) for q in sorted(record.skipped))
            state.answers = dict(record.answers)
            state.skipped = sorted(record.skipped)
            state.history = list(record.answers)
            if chooser.random() < 0.15:
                record.concern = True
                events.append(
                    ev.ConcernRaised(
                        question=None, reason="words", category="bullying", severity="serious"
                    )
                )
            if status == "completed":
                events.append(ev.Completed())
                state.phase = Phase.COMPLETED
            elif status == "stopped":
                events.append(ev.Stopped(keep=True))
                state.phase = Phase.STOPPED
            else:
                state.phase = Phase.QUESTION
                state.current = flow.questions()[-1].id
        await storage.steps.save_step(
            invitation.interview_id, Step(state, [], events), at=at, incoming=None
        )
        made.append(record)
    return made
