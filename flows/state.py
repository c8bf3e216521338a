"""Where a person is in their interview. Round-trips through JSON so storage can keep it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field

from flows.text import Language


class Phase(StrEnum):
    """The stage an interview is at; only the engine moves it from one to the next."""

    NEW = "new"
    LANGUAGE = "language"
    CONSENT = "consent"
    QUESTION = "question"
    SUMMARY = "summary"
    CHANGE_SECTION = "change_section"
    CHANGE_QUESTION = "change_question"
    STOP_CONFIRM = "stop_confirm"
    PAUSED = "paused"
    COMPLETED = "completed"
    STOPPED = "stopped"
    DECLINED = "declined"
    EXPIRED = "expired"


FINISHED_PHASES = frozenset({Phase.COMPLETED, Phase.STOPPED, Phase.DECLINED, Phase.EXPIRED})
ANSWERED_PHASES = frozenset(
    {
        Phase.QUESTION,
        Phase.SUMMARY,
        Phase.CHANGE_SECTION,
        Phase.CHANGE_QUESTION,
        Phase.STOP_CONFIRM,
        Phase.PAUSED,
    }
)


class InterviewState(BaseModel):
    """Everything the engine needs to take the next step, and nothing more."""

    flow_id: str
    language: Language = "en"
    phase: Phase = Phase.NEW
    current: str | None = None
    answers: dict[str, str | list[str]] = Field(default_factory=dict)
    skipped: list[str] = Field(default_factory=list)
    history: list[str] = Field(default_factory=list)
    draft_text: list[str] = Field(default_factory=list)
    draft_choices: list[str] = Field(default_factory=list)
    change_section: str | None = None
    back_to_summary: bool = False
    resume_phase: Phase | None = None
    prompt: int = 0
    prompt_key: str = ""
    last_activity: datetime | None = None
    reminders_sent: int = 0
    limited_circulation: bool = False
    # An adult is helping the person answer (decided by staff when inviting).
    supported: bool = False
    # Taken in a web browser: staff cannot write to it later, so contact is by phone.
    web: bool = False
    talk_step: str | None = None
    talk_how: str | None = None
    talk_number: str | None = None

    def clone(self) -> InterviewState:
        """An independent copy, so a step never changes the state it was given.

        A shallow copy with each container copied by hand: every container here holds only
        strings, and this runs on every step (half the cost of `model_copy(update=...)`).
        The lists inside `answers` are shared, not copied: an answer is always replaced by
        a new value, never changed in place (every test conversation checks that a step
        leaves the state it was given as it was, changing a several-choice answer too)."""
        copied = self.__copy__()
        fields = copied.__dict__
        fields["answers"] = dict(self.answers)
        fields["skipped"] = self.skipped[:]
        fields["history"] = self.history[:]
        fields["draft_text"] = self.draft_text[:]
        fields["draft_choices"] = self.draft_choices[:]
        return copied

    @property
    def finished(self) -> bool:
        """True once the interview can take no more answers."""
        return self.phase in FINISHED_PHASES
