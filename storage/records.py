"""Plain records that storage hands to the shell."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from flows.outputs import Message

Role = Literal["interviewer", "reviewer", "admin"]
ROLES: tuple[Role, ...] = ("interviewer", "reviewer", "admin")


@dataclass(frozen=True)
class Circulation:
    """Who may read one interview. Normally its home's or service's staff and the admins;
    when the person asked for fewer people to see their answers, only the admins, its
    assigned reviewer and the readers an admin has agreed with them."""

    service: str | None
    limited: bool = False
    assigned_reviewer: int | None = None
    readers: tuple[int, ...] = ()


def parse_readers(text: str | None) -> tuple[int, ...]:
    """The agreed readers as SQLite's group_concat gives them."""
    return tuple(sorted(int(x) for x in text.split(","))) if text else ()


@dataclass(frozen=True)
class StaffMember:
    """Someone on the staff side, known by their Telegram user id."""

    user_id: int
    name: str
    role: Role
    services: tuple[str, ...]
    removed: bool = False

    def may_see(self, service: str | None) -> bool:
        """Admins see everything; others only the homes or services they are assigned to."""
        if self.removed:
            return False
        if self.role == "admin":
            return True
        return service is not None and service in self.services

    def holds(self, role: Role, service: str | None) -> bool:
        """Whether this member has the role at that home or service (admins: anywhere)."""
        return self.role == role and (
            role == "admin" or (service is not None and service in self.services)
        )

    def may_read(self, circulation: Circulation) -> bool:
        """Whether this person may read an interview with this circulation."""
        if not circulation.limited:
            return self.may_see(circulation.service)
        if self.removed:
            return False
        return (
            self.role == "admin"
            or self.user_id == circulation.assigned_reviewer
            or self.user_id in circulation.readers
        )


def staff_id_of(label: str) -> int | None:
    """The member of staff an actor label names ("staff:123" as Actor.for_staff writes
    it), or None for anyone else (the command line, the bot, the person)."""
    kind, _, rest = label.partition(":")
    return int(rest) if kind == "staff" and rest.isdigit() else None


@dataclass(frozen=True)
class Actor:
    """Who is reading or changing records, for access checks and the audit log."""

    label: str
    staff: StaffMember | None = None
    operator: bool = False

    def may_see(self, service: str | None) -> bool:
        if self.operator:
            return True
        return self.staff is not None and self.staff.may_see(service)

    def may_read(self, circulation: Circulation) -> bool:
        """Whether this person may read an interview (its circulation honoured)."""
        if self.operator:
            return True
        return self.staff is not None and self.staff.may_read(circulation)

    @property
    def user_id(self) -> int | None:
        """The staff member's Telegram user id, if this is a member of staff."""
        return self.staff.user_id if self.staff is not None else None

    @classmethod
    def for_staff(cls, member: StaffMember) -> Actor:
        return cls(f"staff:{member.user_id}", member)

    @classmethod
    def for_operator(cls, who: str) -> Actor:
        """The person running the command line on the server: trusted, and audited."""
        return cls(f"operator:{who}", operator=True)


@dataclass(frozen=True)
class InterviewSummary:
    """An interview as listed for staff: no answers, no state."""

    id: str
    flow_id: str
    flow_version: str
    display_name: str
    service: str | None
    language: str
    status: str
    created_at: datetime
    updated_at: datetime
    finished_at: datetime | None
    limited_circulation: bool
    chat_id: int | None
    open_concerns: int = 0
    concerns: int = 0
    assigned_reviewer: int | None = None
    readers: tuple[int, ...] = ()
    created_by: str = ""
    decision: str | None = None
    support: str = "none"

    @property
    def circulation(self) -> Circulation:
        """Who may read it."""
        return Circulation(
            self.service, self.limited_circulation, self.assigned_reviewer, self.readers
        )


@dataclass(frozen=True)
class InterviewRef:
    """What a channel needs to route an input: the interview a chat is taking, where it is
    from, and its language. Read without the data key, so it works when the key does not."""

    id: str
    flow_id: str
    service: str | None
    language: str
    finished: bool
    flow_version: str = ""


@dataclass(frozen=True)
class NewInvitation:
    """What staff get back when they invite someone: the token is shown once, never stored."""

    interview_id: str
    token: str
    expires_at: datetime


@dataclass(frozen=True)
class AnswerChange:
    question_id: str
    kind: str
    value: str | list[str] | None
    at: datetime


@dataclass(frozen=True)
class TranscriptLine:
    direction: Literal["in", "out"]
    at: datetime
    text: str


def delivery_state(delivered_at: datetime | None, failed_at: datetime | None) -> str:
    """What became of a message someone must know arrived: delivered, failed, or waiting
    (queued, not yet accepted by the channel)."""
    if delivered_at is not None:
        return "delivered"
    return "failed" if failed_at is not None else "waiting"


@dataclass(frozen=True)
class AlertDelivery:
    """One alert about a concern to one member of staff, and whether it reached them."""

    user_id: int
    sent_at: datetime
    delivered_at: datetime | None
    failed_at: datetime | None
    failure: str | None
    channel: str = "telegram"

    @property
    def state(self) -> str:
        """delivered, failed, or waiting (queued, not yet accepted)."""
        return delivery_state(self.delivered_at, self.failed_at)


@dataclass(frozen=True)
class ConcernRecord:
    """A sign that someone may be at risk: where, why and what kind; never their words."""

    id: int
    interview_id: str
    question_id: str | None
    reason: str
    category: str
    severity: str
    answer: str | None
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: int | None
    service: str | None = None
    after_end: bool = False
    deliveries: tuple[AlertDelivery, ...] = field(default_factory=tuple)
    escalated_at: datetime | None = None
    last_alerted_at: datetime | None = None
    flow_id: str | None = None
    circulation: Circulation | None = None
    tier: str = "red"
    span: tuple[int, int] | None = None
    source: str | None = None
    decision: str | None = None
    decided_by: int | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None

    @property
    def readable_by(self) -> Circulation:
        """Who may see this concern: those who may read its interview."""
        return self.circulation or Circulation(self.service)

    @property
    def alerted(self) -> tuple[int, ...]:
        """Staff the alert reached (Telegram accepted it)."""
        return tuple(
            sorted(
                {
                    d.user_id
                    for d in self.deliveries
                    if d.state == "delivered" and d.channel == "telegram"
                }
            )
        )

    @property
    def delivered(self) -> bool:
        """Whether at least one member of staff has received an alert about it in Telegram."""
        return bool(self.alerted)


@dataclass(frozen=True)
class Transcript:
    """Everything staff may read about one interview."""

    interview: InterviewSummary
    consented_at: datetime | None
    answers: dict[str, str | list[str]]
    skipped: list[str]
    history: list[AnswerChange]
    lines: list[TranscriptLine]
    concerns: list[ConcernRecord]


@dataclass(frozen=True, slots=True)
class OutgoingMessage:
    """A message committed to the outbox, waiting to be sent to a chat."""

    id: int
    interview_id: str | None
    chat_id: int | None
    payload: str
    # The engine's message itself, when the payload was made from it in this process, so
    # the channel need not decode what it has just encoded.
    message: Message | None = field(default=None, compare=False, repr=False)
