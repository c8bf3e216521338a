"""The engine's review, changes, pause and stop."""

from __future__ import annotations

from flows import events as ev
from flows.inputs import Choice, Command, Control, Start, Text
from flows.model import Question
from flows.outputs import Button, Message
from flows.state import Phase
from flows.text import pick
from flows.turn import TurnBase
from flows.visibility import visible
from flows.wording import say


class Reviewing(TurnBase):
    """Moves outside a single question: the review, changing answers, pausing, stopping."""

    def _summary(self) -> None:
        self.state.phase = Phase.SUMMARY
        self.state.back_to_summary = False
        self.state.current = None
        self.state.draft_text = []
        self.state.draft_choices = []
        self._present()

    def _summary_input(self, value: str) -> None:
        if value == "confirm":
            self.state.phase = Phase.COMPLETED
            self.events.append(ev.Completed())
            self.messages.append(
                Message(
                    pick(self.flow.ending, self.lang),
                    "ending",
                    ((Button(say("talk", self.lang), "_talk"),),),
                    self.state.prompt,
                )
            )
        elif value == "change":
            self.state.phase = Phase.CHANGE_SECTION
            self._present()
        elif value == "_back":
            last = self._last_visible()
            if last is not None:
                self.state.phase = Phase.QUESTION
                self._go_to(last, record_history=False)
        elif value == "_skip":
            self.say("nothing_to_skip")
            self._present()
        else:
            # A question's id straight from the review (the web chat's "change" link):
            # the same as picking it through the sections, back to the review after.
            self._question_picked(value)

    def _last_visible(self) -> Question | None:
        shown = [q for q in self.flow.questions() if visible(self.flow, self.state, q)]
        return shown[-1] if shown else None

    def _section_picked(self, value: str) -> None:
        if value in {"summary", "_back"}:
            self._summary()
            return
        if not any(s.id == value for s in self.flow.sections):
            self._present()
            return
        self.state.change_section = value
        self.state.phase = Phase.CHANGE_QUESTION
        self._present()

    def _question_picked(self, value: str) -> None:
        if value == "_back":
            self.state.phase = Phase.CHANGE_SECTION
            self._present()
            return
        if value == "summary":
            self._summary()
            return
        try:
            question = self.flow.question(value)
        except KeyError:
            self._present()
            return
        if not visible(self.flow, self.state, question):
            self._present()
            return
        self.state.back_to_summary = True
        self.state.current = None
        self._go_to(question, record_history=False)

    def _pause(self) -> None:
        self.state.resume_phase = self.state.phase
        self.state.phase = Phase.PAUSED
        self.events.append(ev.Paused())
        self._present()

    def _while_paused(self, inp: Start | Text | Choice | Command) -> None:
        if isinstance(inp, Command) and inp.control is Control.PAUSE:
            self._present()
            return
        if isinstance(inp, Command) and inp.control in {Control.STOP, Control.HELP}:
            self.state.phase = self.state.resume_phase or Phase.QUESTION
            self.events.append(ev.Resumed())
            self._route(f"_{inp.control.value}", inp)
            return
        self.state.phase = self.state.resume_phase or Phase.QUESTION
        self.state.resume_phase = None
        self.events.append(ev.Resumed())
        self.say("resumed")
        self._present()

    def _stop_requested(self) -> None:
        if self.state.phase in {Phase.LANGUAGE, Phase.CONSENT}:
            self._decline()
            return
        if self.state.phase is not Phase.STOP_CONFIRM:
            self.state.resume_phase = self.state.phase
        self.state.phase = Phase.STOP_CONFIRM
        self._present()

    def _stop_confirmed(self, value: str) -> None:
        if value in {"keep", "delete"}:
            keep = value == "keep"
            self.state.phase = Phase.STOPPED
            if not keep:
                self.state.answers = {}
                self.state.skipped = []
                self.state.draft_text = []
            self.events.append(ev.Stopped(keep=keep))
            self.say("stopped_keep" if keep else "stopped_delete", "ending")
            self.tell(self.prompter.help_text(), "help")
        elif value in {"_back", "resume"}:
            self.state.phase = self.state.resume_phase or Phase.QUESTION
            self.state.resume_phase = None
            self._present()
        else:
            self._present()
