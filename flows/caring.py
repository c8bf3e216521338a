"""The engine's care for the person: help, signs of risk, and "I need help now"."""

from __future__ import annotations

from flows import events as ev
from flows.safeguarding import Category, Tier, default_detector
from flows.text import pick
from flows.turn import TurnBase


class Caring(TurnBase):
    """Moves that look after the person, whatever phase the interview is in."""

    def _help(self) -> None:
        self.events.append(ev.HelpShown())
        self.messages.append(self.prompter.help_message())
        self._present()

    def _check_words(self, text: str) -> None:
        """Look for signs of risk in anything the person wrote, wherever they are."""
        detector = self.flow.safeguarding or default_detector()
        findings = detector.findings(text)
        if not findings:
            return
        self._raise_concern(
            ev.ConcernRaised(
                question=self.state.current,
                reason="words",
                category=findings[0].category.value,
                severity=findings[0].severity.value,
                after_end=self.state.finished,
                tier=findings[0].tier.value,
                span=findings[0].span,
            )
        )

    def _unsafe(self) -> None:
        """The one-tap "I need help now": staff are told at once, the person sees 999 first."""
        category = Category.DANGER_NOW
        self.events.append(
            ev.ConcernRaised(
                question=self.state.current,
                reason="asked_for_help",
                category=category.value,
                severity=category.severity.value,
                after_end=self.state.finished,
            )
        )
        self.say("unsafe_now", "concern")
        self.tell(self.prompter.contacts_text(), "concern")

    def _raise_concern(self, concern: ev.ConcernRaised) -> None:
        """Red: the person is told plainly what happens next, with the helplines. Amber is a
        possible concern a person reads today, so the person is not alarmed: one gentle
        line that help and a person to talk to are there."""
        if any(isinstance(e, ev.ConcernRaised) for e in self.events):
            return
        self.events.append(concern)
        if concern.tier == Tier.AMBER.value:
            self.say("amber_note")
            return
        self.tell(pick(self.flow.concern_message, self.lang), "concern")
        self.tell(self.prompter.contacts_text(), "concern")

    def _invalid(self, text: str) -> None:
        question = self.state.current and self._current_question()
        if question and question.kind == "scale" and text.strip().lstrip("-").isdigit():
            self.say("out_of_range", top=len(question.answer_values()))
        elif not any(
            isinstance(e, ev.ConcernRaised) and e.tier == Tier.RED.value for e in self.events
        ):
            self.say("tap_button")
        self._present()
