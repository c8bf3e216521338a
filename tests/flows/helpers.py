"""A small driver for the engine, so tests read like a conversation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from flows import Flow, InterviewState, Step, load_flow, step
from flows.inputs import Choice, Command, Control, Input, Start, Text, Timeout
from flows.loader import DEFINITIONS

FIXTURES = Path(__file__).parent / "fixtures"
T0 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def every_kind() -> Flow:
    return load_flow(FIXTURES / "every-kind.yaml")


def real_flow(flow_id: str) -> Flow:
    return load_flow(DEFINITIONS / f"{flow_id}.yaml")


class Conversation:
    """Feeds inputs one at a time and keeps every step's result."""

    def __init__(self, flow: Flow, at: datetime = T0) -> None:
        self.flow = flow
        self.state = InterviewState(flow_id=flow.id)
        self.at = at
        self.steps: list[Step] = []

    @property
    def last(self) -> Step:
        return self.steps[-1]

    def send(self, inp: Input) -> Step:
        """One step; every conversation in the tests also checks that the step left the
        state it was given as it was (the state is copied shallowly for speed)."""
        before = self.state.model_dump_json()
        result = step(self.flow, self.state, inp)
        assert self.state.model_dump_json() == before, "a step changed the state it was given"
        self.state = result.state
        self.steps.append(result)
        return result

    def tick(self, minutes: int = 1) -> datetime:
        self.at += timedelta(minutes=minutes)
        return self.at

    def start(self, language: str | None = None) -> Step:
        return self.send(Start(at=self.tick(), language=language))  # type: ignore[arg-type]

    def tap(self, value: str) -> Step:
        return self.send(Choice(at=self.tick(), value=value, prompt=self.state.prompt))

    def type(self, text: str) -> Step:
        return self.send(Text(at=self.tick(), text=text))

    def control(self, control: Control) -> Step:
        return self.send(Command(at=self.tick(), control=control))

    def timeout(self, at: datetime) -> Step:
        return self.send(Timeout(at=at))

    def consent(self) -> Step:
        self.start()
        return self.tap("yes")

    def texts(self) -> list[str]:
        return [m.text for m in self.last.messages]

    def event_types(self) -> list[str]:
        return [e.type for e in self.last.events]

    def buttons(self) -> list[str]:
        return [b.value for m in self.last.messages for b in m.all_buttons()]
