"""What happened in a step, for the shell to record and act on (alerts, reminders, audit).

Plain frozen dataclasses, not validated models: the engine makes a few on every input and
only the engine makes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from flows.text import Language


@dataclass(frozen=True, slots=True, kw_only=True)
class Waiting:
    """The interview waits for the person; the shell feeds a Timeout at `due`."""

    type: Literal["waiting"] = "waiting"
    due: datetime
    closes_at: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class LanguageChosen:
    type: Literal["language_chosen"] = "language_chosen"
    language: Language


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsentGiven:
    type: Literal["consent_given"] = "consent_given"


@dataclass(frozen=True, slots=True, kw_only=True)
class ConsentRefused:
    type: Literal["consent_refused"] = "consent_refused"


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerRecorded:
    """An answer was given, or changed when `previous` is set. `label` is what the person saw."""

    type: Literal["answer_recorded"] = "answer_recorded"
    question: str
    value: str | list[str]
    label: str
    previous: str | list[str] | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AnswerCleared:
    """A follow-up answer no longer applies because the answer it followed changed."""

    type: Literal["answer_cleared"] = "answer_cleared"
    question: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QuestionSkipped:
    type: Literal["question_skipped"] = "question_skipped"
    question: str


@dataclass(frozen=True, slots=True, kw_only=True)
class Paused:
    type: Literal["paused"] = "paused"


@dataclass(frozen=True, slots=True, kw_only=True)
class Resumed:
    type: Literal["resumed"] = "resumed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Stopped:
    """The person stopped; `keep` says whether what they said so far may be kept."""

    type: Literal["stopped"] = "stopped"
    keep: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class Completed:
    type: Literal["completed"] = "completed"


@dataclass(frozen=True, slots=True, kw_only=True)
class Expired:
    type: Literal["expired"] = "expired"


@dataclass(frozen=True, slots=True, kw_only=True)
class ReminderSent:
    type: Literal["reminder_sent"] = "reminder_sent"
    number: int


ConcernReason = Literal["answer", "words", "asked_for_help"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ConcernRaised:
    """The person may be at risk. Holds no free text: `question` and `reason` say where and
    why, `category` and `severity` what kind of risk and how fast staff must act."""

    type: Literal["concern_raised"] = "concern_raised"
    question: str | None
    reason: ConcernReason
    category: str
    severity: Literal["urgent", "serious"]
    answer: str | None = None
    after_end: bool = False
    tier: Literal["red", "amber"] = "red"
    span: tuple[int, int] | None = None
    """Where in the person's words the concern was found (offsets), for staff to see."""


@dataclass(frozen=True, slots=True, kw_only=True)
class HelpShown:
    type: Literal["help_shown"] = "help_shown"


@dataclass(frozen=True, slots=True, kw_only=True)
class CirculationLimited:
    """The person asked for their answers to be seen by fewer people."""

    type: Literal["circulation_limited"] = "circulation_limited"
    limited: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class TalkRequested:
    """The person asked for someone to contact them: how (this chat, or a phone call) and
    when; `number` is a phone number they typed, if any; `due` is when it must be done by."""

    type: Literal["talk_requested"] = "talk_requested"
    how: str
    when: str
    number: str | None = None
    due: datetime
    after_end: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class VoiceTaken:
    """A voice note was taken as (part of) the answer to a free-text question. Nothing
    checks audio for signs of risk, so a person must listen to it."""

    type: Literal["voice_taken"] = "voice_taken"
    question: str
    voice_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class VoiceRefused:
    """A voice note came where no free-text answer was asked for; it is not kept."""

    type: Literal["voice_refused"] = "voice_refused"
    voice_id: str


Event = (
    Waiting
    | LanguageChosen
    | ConsentGiven
    | ConsentRefused
    | AnswerRecorded
    | AnswerCleared
    | QuestionSkipped
    | Paused
    | Resumed
    | Stopped
    | Completed
    | Expired
    | ReminderSent
    | ConcernRaised
    | HelpShown
    | CirculationLimited
    | TalkRequested
    | VoiceTaken
    | VoiceRefused
)
