"""Making interviews in a test database through the real engine."""

from __future__ import annotations

from datetime import datetime, timedelta

from flows import Flow, step
from flows.inputs import Choice, Input, Start, Text
from storage import Actor, Storage
from storage.steps import SavedStep

OPERATOR = Actor.for_operator("test")


async def invite(
    storage: Storage,
    flow: Flow,
    at: datetime,
    service: str | None = "Oak House",
    name: str = "Test Person A",
) -> tuple[str, str]:
    invitation = await storage.interviews.invite(
        flow_id=flow.id,
        flow_version=flow.version,
        display_name=name,
        service=service,
        language=None,
        expires_at=at + timedelta(days=28),
        actor=OPERATOR,
        at=at,
    )
    return invitation.interview_id, invitation.token


async def feed(
    storage: Storage,
    flow: Flow,
    interview_id: str,
    inp: Input,
    update_id: int | None = None,
    incoming: str | None = None,
) -> SavedStep | None:
    state = await storage.interviews.state(interview_id)
    result = step(flow, state, inp)
    return await storage.steps.save_step(
        interview_id, result, at=inp.at, incoming=incoming, update_id=update_id, chat_id=1
    )


async def start_and_consent(storage: Storage, flow: Flow, interview_id: str, at: datetime) -> None:
    await feed(storage, flow, interview_id, Start(at=at, language="en"))
    state = await storage.interviews.state(interview_id)
    await feed(storage, flow, interview_id, Choice(at=at, value="yes", prompt=state.prompt))


async def tap(
    storage: Storage,
    flow: Flow,
    interview_id: str,
    value: str,
    at: datetime,
    update_id: int | None = None,
) -> SavedStep | None:
    state = await storage.interviews.state(interview_id)
    return await feed(
        storage,
        flow,
        interview_id,
        Choice(at=at, value=value, prompt=state.prompt),
        update_id,
        value,
    )


async def type_text(
    storage: Storage, flow: Flow, interview_id: str, text: str, at: datetime
) -> SavedStep | None:
    return await feed(storage, flow, interview_id, Text(at=at, text=text), incoming=text)
