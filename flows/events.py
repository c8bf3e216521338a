"""What happened in a step, for the shell to record and act on (alerts, reminders, audit)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from flows.text import Language


class Waiting(BaseModel):
    """The interview waits for the person; the shell feeds a Timeout at `due`."""

    type: Literal["waiting"] = "waiting"
    due: datetime
    closes_at: datetime


class LanguageChosen(BaseModel):
    type: Literal["language_chosen"] = "language_chosen"
    language: Language


class ConsentGiven(BaseModel):
    type: Literal["consent_given"] = "consent_given"


class ConsentRefused(BaseModel):
    type: Literal["consent_refused"] = "consent_refused"


class AnswerRecorded(BaseModel):
    """An answer was given, or changed when `previous` is set. `label` is what the person saw."""

    type: Literal["answer_recorded"] = "answer_recorded"
    question: str
    value: str | list[str]
    label: str
    previous: str | list[str] | None = None


class AnswerCleared(BaseModel):
    """A follow-up answer no longer applies because the answer it followed changed."""

    type: Literal["answer_cleared"] = "answer_cleared"
    question: str


class QuestionSkipped(BaseModel):
    type: Literal["question_skipped"] = "question_skipped"
    question: str


class Paused(BaseModel):
    type: Literal["paused"] = "paused"


class Resumed(BaseModel):
    type: Literal["resumed"] = "resumed"


class Stopped(BaseModel):
    """The person stopped; `keep` says whether what they said so far may be kept."""

    type: Literal["stopped"] = "stopped"
    keep: bool


class Completed(BaseModel):
    type: Literal["completed"] = "completed"


class Expired(BaseModel):
    type: Literal["expired"] = "expired"


class ReminderSent(BaseModel):
    type: Literal["reminder_sent"] = "reminder_sent"
    number: int


ConcernReason = Literal["answer", "words", "asked_for_help"]


class ConcernRaised(BaseModel):
    """The person may be at risk. Holds no free text: `question` and `reason` say where and
    why, `category` and `severity` what kind of risk and how fast staff must act."""

    type: Literal["concern_raised"] = "concern_raised"
    question: str | None
    reason: ConcernReason
    category: str
    severity: Literal["urgent", "serious"]
    answer: str | None = None
    after_end: bool = False


class HelpShown(BaseModel):
    type: Literal["help_shown"] = "help_shown"


class CirculationLimited(BaseModel):
    """The person asked for their answers to be seen by fewer people."""

    type: Literal["circulation_limited"] = "circulation_limited"
    limited: bool


class TalkRequested(BaseModel):
    """The person asked for someone to contact them: how (this chat, or a phone call) and
    when; `number` is a phone number they typed, if any; `due` is when it must be done by."""

    type: Literal["talk_requested"] = "talk_requested"
    how: str
    when: str
    number: str | None = None
    due: datetime
    after_end: bool = False


class VoiceTaken(BaseModel):
    """A voice note was taken as (part of) the answer to a free-text question. Nothing
    checks audio for signs of risk, so a person must listen to it."""

    type: Literal["voice_taken"] = "voice_taken"
    question: str
    voice_id: str


class VoiceRefused(BaseModel):
    """A voice note came where no free-text answer was asked for; it is not kept."""

    type: Literal["voice_refused"] = "voice_refused"
    voice_id: str


Event = Annotated[
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
    | VoiceRefused,
    Field(discriminator="type"),
]
