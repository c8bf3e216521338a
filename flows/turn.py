"""One step's working space, shared by the engine's parts: a mutable copy of the state,
what to send, what happened, and the few moves every part makes (say, present)."""

from __future__ import annotations

from datetime import datetime

from flows import events as ev
from flows.inputs import Choice, Command, Text
from flows.model import Flow, Question
from flows.outputs import Button, Message, MessageKind, Step
from flows.prompts import Prompter
from flows.state import InterviewState, Phase
from flows.text import Language
from flows.wording import say


class TurnBase:
    """The state of one step. The parts (asking.py, reviewing.py, caring.py) add the moves;
    the engine puts them together. Moves one part makes through another are declared here."""

    def __init__(self, flow: Flow, state: InterviewState, at: datetime) -> None:
        self.flow = flow
        self.state = state
        self.at = at
        self.messages: list[Message] = []
        self.events: list[ev.Event] = []
        self.chosen: str | None = None
        self.prompter = Prompter(flow, state)

    @property
    def lang(self) -> Language:
        return self.state.language

    def result(self) -> Step:
        if not self.state.finished and self.state.phase is not Phase.NEW:
            self.events.append(self._waiting())
        return Step(self.state, self.messages, self.events, self.chosen)

    def say(self, key: str, kind: MessageKind = "info", **values: object) -> None:
        self.messages.append(Message(say(key, self.lang, **values), kind))

    def tell(self, text: str, kind: MessageKind = "info") -> None:
        self.messages.append(Message(text, kind))

    def _current_question(self) -> Question:
        assert self.state.current is not None
        return self.flow.question(self.state.current)

    def _next_button(self) -> list[Button]:
        return [Button(say("next", self.lang), "_next")]

    def _present(self, resumed: bool = False) -> None:
        if resumed:
            self.say("resumed")
        self.messages.extend(self.prompter.prompt_messages())

    def _waiting(self) -> ev.Waiting:
        raise NotImplementedError

    def _route(self, value: str, inp: Text | Choice | Command) -> None:
        raise NotImplementedError

    def _decline(self) -> None:
        raise NotImplementedError

    def _go_to(self, question: Question | None, record_history: bool) -> None:
        raise NotImplementedError

    def _summary(self) -> None:
        raise NotImplementedError

    def _pause(self) -> None:
        raise NotImplementedError

    def _raise_concern(self, concern: ev.ConcernRaised) -> None:
        raise NotImplementedError
