"""Saving one engine step: the whole effect of one input, committed as one unit of work.

Each kind of event has one writer, chosen from a table. The writers only add statements to
the unit; nothing touches the database until the unit is committed (with whatever else
arrived at the same moment, see group_commit.py), and nothing is read back afterwards: the
caller already holds every value that was written.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flows import events as ev
from flows.outputs import Step
from flows.status import status_of
from flows.workdays import add_working_days
from storage.batch import Statement, UnitOfWork
from storage.codec import encode_message, encode_state, encode_value
from storage.concerns import INSERT_RAISED, concern_detail
from storage.database import Database, iso
from storage.erasure import CONTENT_STEPS
from storage.errors import StaleStateError
from storage.known_states import KnownState, KnownStates
from storage.records import OutgoingMessage
from storage.tasks import new_task_ref

INSERT_ANSWER = (
    "INSERT INTO answers (interview_id, question_id, kind, value, recorded_at) "
    "VALUES (?, ?, ?, ?, ?)"
)
INSERT_AUDIT = "INSERT INTO audit (at, actor, action, interview_id, detail) VALUES (?, ?, ?, ?, ?)"
ANSWER_EVENTS = (ev.AnswerRecorded, ev.AnswerCleared, ev.QuestionSkipped)
"""Events with no row in `events`: each writes its own row in `answers` (which question,
answered, changed, cleared or skipped, and when), so a second row said nothing new and
cost a write on almost every input."""
UPDATE_STATE = (
    "UPDATE interviews SET state = ?, status = ?, language = ?, due_at = ?, "
    "limited_circulation = ?, updated_at = ?, "
    "finished_at = CASE WHEN ? THEN COALESCE(finished_at, ?) ELSE finished_at END"
)


@dataclass(slots=True)
class SavedStep:
    """What the shell needs after a commit: the messages to send and any new concerns."""

    outbox: list[OutgoingMessage] = field(default_factory=list)
    concern_ids: list[int] = field(default_factory=list)


@dataclass
class _Draft:
    """A unit of work being built, and the indexes whose new row ids the caller needs."""

    db: Database
    interview_id: str
    at: str
    moment: datetime
    unit: UnitOfWork = field(init=False)
    concern_rows: list[int] = field(default_factory=list)
    content_deleted: bool = False
    incoming: str | None = None

    def __post_init__(self) -> None:
        self.unit = UnitOfWork(owner=self.interview_id)

    def answer(self, question: str, kind: str, value: str | None) -> None:
        sealed = self.db.seal(value) if value is not None else None
        self.unit.add(
            INSERT_ANSWER, (self.interview_id, self.db.seal(question), kind, sealed, self.at)
        )


def _answer_recorded(draft: _Draft, event: ev.Event) -> None:
    assert isinstance(event, ev.AnswerRecorded)
    kind = "answered" if event.previous is None else "changed"
    draft.answer(event.question, kind, encode_value(event.value))


def _answer_cleared(draft: _Draft, event: ev.Event) -> None:
    assert isinstance(event, ev.AnswerCleared)
    draft.answer(event.question, "cleared", None)


def _question_skipped(draft: _Draft, event: ev.Event) -> None:
    assert isinstance(event, ev.QuestionSkipped)
    draft.answer(event.question, "skipped", None)


def _consent_given(draft: _Draft, event: ev.Event) -> None:
    draft.unit.add(
        "UPDATE interviews SET consented_at = ? WHERE id = ?", (draft.at, draft.interview_id)
    )


def _concern_raised(draft: _Draft, event: ev.Event) -> None:
    assert isinstance(event, ev.ConcernRaised)
    detail = concern_detail(
        event.question,
        event.reason,
        event.category,
        event.answer,
        event.after_end,
        event.span,
        draft.incoming,
    )
    draft.concern_rows.append(
        draft.unit.add(
            INSERT_RAISED,
            (draft.interview_id, event.severity, draft.db.seal(detail), draft.at, event.tier),
            id_from="concerns",
        )
    )


def _delete_content(draft: _Draft, action: str) -> None:
    for sql in CONTENT_STEPS:
        draft.unit.add(sql, (draft.interview_id,))
    draft.unit.add(INSERT_AUDIT, (draft.at, "person", action, draft.interview_id, ""))
    draft.content_deleted = True


def _stopped(draft: _Draft, event: ev.Event) -> None:
    assert isinstance(event, ev.Stopped)
    if not event.keep:
        _delete_content(draft, "answers_deleted_on_request")


def _consent_refused(draft: _Draft, event: ev.Event) -> None:
    _delete_content(draft, "answers_deleted_on_decline")


INTERVIEWER_OF = (
    "CASE WHEN i.created_by LIKE 'staff:%' THEN CAST(substr(i.created_by, 7) AS INTEGER) END"
)
AGREE_READERS_WITHIN_WORKING_DAYS = 2


def _task_from_interview(
    draft: _Draft, kind: str, owner: str, role: str, detail: dict[str, str | None], due: str
) -> None:
    """A task about this interview, for its interviewer or a role, in the step's unit."""
    ref = new_task_ref()
    draft.unit.add(
        "INSERT INTO tasks (ref, kind, interview_id, service, owner_user_id, owner_role, "  # noqa: S608 - `owner` is this module's own
        f"detail, due_at, created_at) SELECT ?, ?, i.id, i.service, {owner}, ?, ?, ?, ? "
        "FROM interviews i WHERE i.id = ? "
        "ON CONFLICT (interview_id, kind) WHERE kind IN ('read', 'agree_readers') "
        "DO UPDATE SET closed_at = NULL, closed_by = NULL, close_note = NULL",
        (
            ref,
            kind,
            role,
            draft.db.seal(json.dumps(detail, ensure_ascii=False)),
            due,
            draft.at,
            draft.interview_id,
        ),
    )
    draft.unit.add(INSERT_AUDIT, (draft.at, "person", "task_created", draft.interview_id, kind))


def _talk_requested(draft: _Draft, event: ev.Event) -> None:
    """Asking to talk to a person is a call-back owed by the interviewer who invited them."""
    assert isinstance(event, ev.TalkRequested)
    detail = {"how": event.how, "when": event.when, "number": event.number}
    _task_from_interview(draft, "call_back", INTERVIEWER_OF, "interviewer", detail, iso(event.due))


def _circulation_limited(draft: _Draft, event: ev.Event) -> None:
    """Asking for fewer people to see the answers: an admin must talk with the person and
    agree who may read them. Changing the answer back to No closes that task."""
    assert isinstance(event, ev.CirculationLimited)
    if event.limited:
        due = add_working_days(draft.moment, AGREE_READERS_WITHIN_WORKING_DAYS)
        _task_from_interview(draft, "agree_readers", "NULL", "admin", {}, iso(due))
        return
    draft.unit.add(
        "UPDATE tasks SET closed_at = ?, closed_by = 'person', close_note = ? "
        "WHERE interview_id = ? AND kind = 'agree_readers' AND closed_at IS NULL",
        (draft.at, draft.db.seal("The person changed their answer to No."), draft.interview_id),
    )


def _voice_taken(draft: _Draft, event: ev.Event) -> None:
    """Nothing checks audio for signs of risk: the interviewer must listen, next working day."""
    assert isinstance(event, ev.VoiceTaken)
    due = iso(add_working_days(draft.moment, 1))
    _task_from_interview(
        draft, "listen", INTERVIEWER_OF, "interviewer", {"voice": event.voice_id}, due
    )


def _voice_refused(draft: _Draft, event: ev.Event) -> None:
    """A voice note that is not an answer is not kept."""
    assert isinstance(event, ev.VoiceRefused)
    draft.unit.add(
        "DELETE FROM voice_answers WHERE id = ? AND interview_id = ?",
        (event.voice_id, draft.interview_id),
    )


EventWriter = Callable[[_Draft, ev.Event], None]
WRITERS: dict[type[ev.Event], EventWriter] = {
    ev.AnswerRecorded: _answer_recorded,
    ev.AnswerCleared: _answer_cleared,
    ev.QuestionSkipped: _question_skipped,
    ev.ConsentGiven: _consent_given,
    ev.ConsentRefused: _consent_refused,
    ev.ConcernRaised: _concern_raised,
    ev.Stopped: _stopped,
    ev.TalkRequested: _talk_requested,
    ev.CirculationLimited: _circulation_limited,
    ev.VoiceTaken: _voice_taken,
    ev.VoiceRefused: _voice_refused,
}


class Steps:
    """Writes engine steps; reading interviews is `Interviews`' job."""

    def __init__(self, db: Database, known: KnownStates) -> None:
        self.db = db
        self.known = known

    async def save_step(
        self,
        interview_id: str,
        step: Step,
        *,
        at: datetime,
        incoming: str | None,
        update_id: int | None = None,
        chat_id: int | None = None,
        started_from: KnownState | None = None,
    ) -> SavedStep | None:
        """Commit one input's whole effect at once; None if this update was handled before.
        `started_from` is the state the step began from: if the interview's row no longer
        holds it, nothing is written and StaleStateError says to read it again."""
        draft = _Draft(self.db, interview_id, iso(at), at, incoming=incoming)
        if update_id is not None:
            draft.unit.guard = Statement(
                "INSERT OR IGNORE INTO processed_updates (update_id, handled_at) VALUES (?, ?)",
                (update_id, draft.at),
            )
        self._events(draft, step)
        sealed_state = self._state(draft, step, started_from)
        if not draft.content_deleted:
            self._transcript(draft, step, incoming)
        payloads = [encode_message(message) for message in step.messages]
        outbox_rows = [
            draft.unit.add(
                "INSERT INTO outbox (interview_id, chat_id, payload, created_at) "
                "VALUES (?, ?, ?, ?)",
                (interview_id, chat_id, self.db.seal(payload), draft.at),
                id_from="outbox",
            )
            for payload in payloads
        ]
        try:
            row_ids = await self.db.commit_unit(draft.unit)
        except StaleStateError:
            self.known.forget(interview_id)
            raise
        if row_ids is None:
            return None
        if started_from is not None:
            self.known.remember(
                interview_id, KnownState(step.state, sealed_state, started_from.flow_version)
            )
        return SavedStep(
            [
                OutgoingMessage(row_ids[row], interview_id, chat_id, payload, message)
                for row, payload, message in zip(outbox_rows, payloads, step.messages, strict=True)
            ],
            [row_ids[row] for row in draft.concern_rows],
        )

    @staticmethod
    def _events(draft: _Draft, step: Step) -> None:
        recorded = [event for event in step.events if not isinstance(event, ev.Waiting)]
        draft.unit.add_many(
            "INSERT INTO events (interview_id, type, at, question_id) VALUES (?, ?, ?, NULL)",
            [
                (draft.interview_id, event.type, draft.at)
                for event in recorded
                if not isinstance(event, ANSWER_EVENTS)
            ],
        )
        for event in recorded:
            writer = WRITERS.get(type(event))
            if writer is not None:
                writer(draft, event)

    def _state(self, draft: _Draft, step: Step, started_from: KnownState | None) -> bytes:
        state = step.state
        due = next((e.due for e in step.events if isinstance(e, ev.Waiting)), None)
        sealed = self.db.seal(encode_state(state))
        values = (
            sealed,
            str(status_of(state)),
            state.language,
            iso(due) if due and not state.finished else None,
            int(state.limited_circulation),
            draft.at,
            int(state.finished),
            draft.at,
            draft.interview_id,
        )
        if started_from is None:
            draft.unit.add(f"{UPDATE_STATE} WHERE id = ?", values)
        else:
            draft.unit.add(
                f"{UPDATE_STATE} WHERE id = ? AND state = ?",
                (*values, started_from.sealed),
                changes_one=True,
            )
        return sealed

    def _transcript(self, draft: _Draft, step: Step, incoming: str | None) -> None:
        lines: list[tuple[str, str]] = []
        if incoming is not None:
            lines.append(("in", incoming))
        lines.extend(("out", message.text) for message in step.messages)
        draft.unit.add_many(
            "INSERT INTO transcript (interview_id, direction, at, body) VALUES (?, ?, ?, ?)",
            [(draft.interview_id, way, draft.at, self.db.seal(text)) for way, text in lines],
        )
