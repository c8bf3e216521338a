"""Interviews and invitations: creating, linking a chat, looking up. Steps are saved by steps.py."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from datetime import datetime

from flows.state import InterviewState
from flows.status import FINISHED_STATUSES
from storage.audit import write_audit
from storage.codec import encode_state
from storage.database import Database, iso, parse_time
from storage.errors import AccessDenied, InvitationError, NotFound, StorageError
from storage.known_states import KnownState, KnownStates
from storage.records import (
    Actor,
    InterviewRef,
    InterviewSummary,
    NewInvitation,
    parse_readers,
)

TOKEN_BYTES = 24
FINISHED = tuple(str(status) for status in FINISHED_STATUSES)


def token_hash(token: str) -> str:
    """Tokens are kept only as a hash, so a copy of the database cannot be used to join."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


SUMMARY_COLUMNS = (
    "i.id, i.flow_id, i.flow_version, i.display_name, i.service, i.language, i.status, "
    "i.created_at, i.updated_at, i.finished_at, i.limited_circulation, i.chat_id, "
    "(SELECT COUNT(*) FROM concerns c WHERE c.interview_id = i.id "
    "AND c.acknowledged_at IS NULL) AS open_concerns, "
    "(SELECT COUNT(*) FROM concerns c WHERE c.interview_id = i.id) AS concerns, "
    "i.assigned_reviewer, "
    "(SELECT group_concat(x.user_id) FROM interview_readers x WHERE x.interview_id = i.id) "
    "AS readers, i.created_by, i.decision, i.support"
)
"""The columns `Interviews.summary` reads, by name."""


class Interviews:
    def __init__(self, db: Database, known: KnownStates) -> None:
        self.db = db
        self.known = known

    def summary(self, r: sqlite3.Row) -> InterviewSummary:
        """An interviews row (selected with SUMMARY_COLUMNS) as a record."""
        return InterviewSummary(
            id=r["id"],
            flow_id=r["flow_id"],
            flow_version=r["flow_version"],
            display_name=self.db.open_text(r["display_name"]),
            service=r["service"],
            language=r["language"],
            status=r["status"],
            created_at=parse_time(r["created_at"]) or datetime.min,
            updated_at=parse_time(r["updated_at"]) or datetime.min,
            finished_at=parse_time(r["finished_at"]),
            limited_circulation=bool(r["limited_circulation"]),
            chat_id=r["chat_id"],
            open_concerns=int(r["open_concerns"]),
            concerns=int(r["concerns"]),
            assigned_reviewer=r["assigned_reviewer"],
            readers=parse_readers(r["readers"]),
            created_by=r["created_by"],
            decision=r["decision"],
            support=r["support"],
        )

    async def invite(
        self,
        *,
        flow_id: str,
        flow_version: str,
        display_name: str,
        service: str | None,
        language: str | None,
        expires_at: datetime,
        actor: Actor,
        at: datetime,
        support: str = "none",
    ) -> NewInvitation:
        """Create an interview and its single-use invitation; the token is returned once.
        `support` is the social worker's decision: none, easy-read, or worker (an adult
        helps, and the introduction speaks to them too)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        interview_id = f"iv-{secrets.token_hex(5)}"
        state = InterviewState(
            flow_id=flow_id, language=language or "en", supported=support == "worker"
        )
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO interviews (id, flow_id, flow_version, display_name, service, "
                "language, status, state, created_by, created_at, updated_at, support) "
                "VALUES (?, ?, ?, ?, ?, ?, 'invited', ?, ?, ?, ?, ?)",
                (
                    interview_id,
                    flow_id,
                    flow_version,
                    self.db.seal(display_name),
                    service,
                    language or "",
                    self.db.seal(encode_state(state)),
                    actor.label,
                    iso(at),
                    iso(at),
                    support,
                ),
            )
            await connection.execute(
                "INSERT INTO invitations (token_hash, interview_id, expires_at) VALUES (?, ?, ?)",
                (token_hash(token), interview_id, iso(expires_at)),
            )
            await write_audit(
                connection,
                actor,
                "invitation_created",
                at,
                interview_id,
                f"flow {flow_id}; service {service or '-'}; support {support}",
            )
        return NewInvitation(interview_id, token, expires_at)

    async def reissue(
        self, interview_id: str, expires_at: datetime, actor: Actor, at: datetime
    ) -> NewInvitation:
        """A new link for the same interview (the person changed phone or browser): every
        earlier link stops working, the old chat or browser is let go, and the answers so
        far are kept. Refused for an interview that is over."""
        interview = await self.require_access(interview_id, actor, at, "reissue")
        if interview.status in FINISHED:
            raise StorageError(
                f"Interview {interview_id} is over ({interview.status}), so a new link cannot "
                "reopen it. If they want to take part again, invite them again."
            )
        token = secrets.token_urlsafe(TOKEN_BYTES)
        async with self.db.transaction() as connection:
            await connection.execute(
                "UPDATE invitations SET used_at = COALESCE(used_at, ?), expires_at = ?, "
                "used_by_chat = NULL WHERE interview_id = ?",
                (iso(at), iso(at), interview_id),
            )
            await connection.execute(
                "INSERT INTO invitations (token_hash, interview_id, expires_at) VALUES (?, ?, ?)",
                (token_hash(token), interview_id, iso(expires_at)),
            )
            await connection.execute(
                "UPDATE interviews SET chat_id = NULL, updated_at = ? WHERE id = ?",
                (iso(at), interview_id),
            )
            await connection.execute(
                "UPDATE web_sessions SET ended_at = COALESCE(ended_at, ?), last_page = NULL "
                "WHERE interview_id = ?",
                (iso(at), interview_id),
            )
            await write_audit(connection, actor, "invitation_reissued", at, interview_id)
        return NewInvitation(interview_id, token, expires_at)

    async def redeem(self, token: str, chat_id: int, at: datetime) -> str:
        """Link a chat to the interview a token opens. The same chat may open its own link again."""
        async with self.db.transaction() as connection:
            async with connection.execute(
                "SELECT v.interview_id, v.expires_at, v.used_at, v.used_by_chat, i.status "
                "FROM invitations v JOIN interviews i ON i.id = v.interview_id "
                "WHERE v.token_hash = ?",
                (token_hash(token),),
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                raise InvitationError("unknown")
            interview_id, expires_at, used_at, used_by_chat, status = row
            if used_at is not None:
                if used_by_chat == chat_id and status not in FINISHED:
                    return str(interview_id)
                raise InvitationError("used")
            if status in FINISHED:
                raise InvitationError("expired")
            if (parse_time(expires_at) or at) <= at:
                raise InvitationError("expired")
            await connection.execute(
                "UPDATE invitations SET used_at = ?, used_by_chat = ? WHERE token_hash = ?",
                (iso(at), chat_id, token_hash(token)),
            )
            await connection.execute(
                "UPDATE interviews SET chat_id = ?, started_at = ?, updated_at = ? WHERE id = ?",
                (chat_id, iso(at), iso(at), interview_id),
            )
        return str(interview_id)

    async def _chat_row(self, chat_id: int) -> sqlite3.Row | None:
        """The row of the interview a chat is taking: the newest that is not over, else the
        newest at all (what is typed after the end is still heard)."""
        return await self.db.fetch_one(
            "SELECT id, flow_id, service, language, status, flow_version, state FROM interviews "
            "WHERE chat_id = ? AND status != 'erased' "
            "ORDER BY status IN ('completed', 'stopped', 'declined', 'expired'), created_at DESC "
            "LIMIT 1",
            (chat_id,),
        )

    @staticmethod
    def _ref(row: sqlite3.Row) -> InterviewRef:
        return InterviewRef(
            row["id"],
            row["flow_id"],
            row["service"],
            row["language"] or "en",
            row["status"] in FINISHED,
            row["flow_version"],
        )

    async def load_for_chat(self, chat_id: int) -> tuple[InterviewRef, KnownState] | None:
        """The interview a chat is taking and its engine state, in one read; the state is
        only decrypted if this process does not already hold the same one."""
        row = await self._chat_row(chat_id)
        if row is None:
            return None
        ref = self._ref(row)
        if row["state"] is None:
            raise NotFound(f"No interview {ref.id}. See 'exit-interviews interviews list'.")
        return ref, self._known_from(ref.id, row["state"], ref.flow_version)

    def _known_from(self, interview_id: str, sealed: bytes, flow_version: str) -> KnownState:
        known = self._usable(interview_id)
        if known is None or known.sealed != sealed:
            state = InterviewState.model_validate_json(self.db.open_text(sealed))
            known = KnownState(state, sealed, flow_version)
            self.known.remember(interview_id, known)
        return known

    async def ref_for_chat(self, chat_id: int) -> InterviewRef | None:
        """The interview a chat is taking, without opening anything sealed (so it works when
        the key cannot open the database's contents)."""
        row = await self._chat_row(chat_id)
        return None if row is None else self._ref(row)

    async def for_chat(self, chat_id: int) -> str | None:
        """The interview this chat is taking now (the newest that is not over), if any."""
        row = await self.db.fetch_one(
            "SELECT id FROM interviews WHERE chat_id = ? AND status NOT IN "
            "('completed', 'stopped', 'declined', 'expired', 'erased') "
            "ORDER BY created_at DESC LIMIT 1",
            (chat_id,),
        )
        if row is None:
            row = await self.db.fetch_one(
                "SELECT id FROM interviews WHERE chat_id = ? AND status != 'erased' "
                "ORDER BY created_at DESC LIMIT 1",
                (chat_id,),
            )
        return None if row is None else str(row[0])

    def _usable(self, interview_id: str) -> KnownState | None:
        """What this process knows of the interview, if it was sealed with the key in use
        now: under any other key the state must be read and opened again, so that a key
        that cannot open the database is found out (and the safety net takes the input)
        rather than new answers being sealed with it."""
        known = self.known.get(interview_id)
        if known is None or not self.db.cipher.sealed_with_current_key(known.sealed):
            return None
        return known

    async def state_to_step(self, interview_id: str) -> KnownState:
        """The engine state the next input starts from: as this process last saved it,
        or read from the database if it holds nothing newer (see known_states.py)."""
        known = self._usable(interview_id)
        if known is not None:
            return known
        row = await self.db.fetch_one(
            "SELECT state, flow_version FROM interviews WHERE id = ?", (interview_id,)
        )
        if row is None or row["state"] is None:
            raise NotFound(f"No interview {interview_id}. See 'exit-interviews interviews list'.")
        return self._known_from(interview_id, row["state"], str(row["flow_version"]))

    async def state(self, interview_id: str) -> InterviewState:
        """The engine state saved after the last input."""
        row = await self.db.fetch_one("SELECT state FROM interviews WHERE id = ?", (interview_id,))
        if row is None or row[0] is None:
            raise NotFound(f"No interview {interview_id}. See 'exit-interviews interviews list'.")
        return InterviewState.model_validate_json(self.db.open_text(row[0]))

    async def require_access(
        self, interview_id: str, actor: Actor, at: datetime, purpose: str
    ) -> InterviewSummary:
        """The interview, if this person may see it; else the refusal is audited and raised."""
        interview = await self.get(interview_id)
        if not actor.may_read(interview.circulation):
            async with self.db.transaction() as connection:
                await write_audit(connection, actor, "access_refused", at, interview_id, purpose)
            if interview.limited_circulation and actor.may_see(interview.service):
                raise AccessDenied(
                    f"The person in interview {interview_id} asked for fewer people to see "
                    "their answers. Only the admins, its assigned reviewer and the readers "
                    "agreed with them may read it."
                )
            raise AccessDenied(
                f"You are not assigned to the home or service of interview {interview_id}. "
                "Ask an admin to add it to your services if you need it."
            )
        return interview

    async def get(self, interview_id: str) -> InterviewSummary:
        row = await self.db.fetch_one(
            f"SELECT {SUMMARY_COLUMNS} FROM interviews i WHERE i.id = ?",  # noqa: S608
            (interview_id,),
        )
        if row is None:
            raise NotFound(f"No interview {interview_id}. See 'exit-interviews interviews list'.")
        return self.summary(row)

    async def find(
        self,
        actor: Actor,
        *,
        status: str | None = None,
        service: str | None = None,
        concerns_only: bool = False,
        flow_id: str | None = None,
        limit: int | None = None,
    ) -> list[InterviewSummary]:
        """Interviews this person may see, newest first."""
        sql = f"SELECT {SUMMARY_COLUMNS} FROM interviews i WHERE 1 = 1"  # noqa: S608
        params: list[object] = []
        for column, value in (("i.status", status), ("i.service", service), ("i.flow_id", flow_id)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        if concerns_only:
            sql += " AND EXISTS (SELECT 1 FROM concerns c WHERE c.interview_id = i.id)"
        sql += " ORDER BY i.created_at DESC"
        rows = await self.db.fetch_all(sql, params)
        found = [s for s in map(self.summary, rows) if actor.may_read(s.circulation)]
        return found[:limit] if limit is not None else found

    async def completed_durations(self, flow_id: str, limit: int = 200) -> list[float]:
        """How many seconds the latest completed interviews of a flow took, start to end,
        so a person can be told how long is left from what others took, not a guess."""
        rows = await self.db.fetch_all(
            "SELECT started_at, finished_at FROM interviews WHERE flow_id = ? "
            "AND status = 'completed' AND started_at IS NOT NULL AND finished_at IS NOT NULL "
            "ORDER BY finished_at DESC LIMIT ?",
            (flow_id, limit),
        )
        spans = [(parse_time(r["finished_at"]), parse_time(r["started_at"])) for r in rows]
        return [(end - start).total_seconds() for end, start in spans if end and start]

    async def due(self, now: datetime, limit: int = 500) -> list[str]:
        """Interviews whose reminder or closing time has come."""
        rows = await self.db.fetch_all(
            "SELECT id FROM interviews WHERE due_at IS NOT NULL AND due_at <= ? "
            "ORDER BY due_at LIMIT ?",
            (iso(now), limit),
        )
        return [str(r[0]) for r in rows]

    async def postpone(self, interview_id: str, until: datetime) -> None:
        """Put off an interview's next reminder or closing (it could not be processed now)."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "UPDATE interviews SET due_at = ? WHERE id = ? AND due_at IS NOT NULL",
                (iso(until), interview_id),
            )

    async def mark_update(self, update_id: int, at: datetime) -> bool:
        """Record an update that changed no interview; False if it was seen before."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT OR IGNORE INTO processed_updates (update_id, handled_at) VALUES (?, ?)",
                (update_id, iso(at)),
            )
            return cursor.rowcount == 1
