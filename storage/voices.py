"""Voice answers: the audio kept encrypted, who listened and when, and reading it back for
staff (audited). Taken from the interview like any answer when it is erased."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from storage.audit import write_audit
from storage.database import Database, iso, parse_time
from storage.errors import NotFound
from storage.interviews import Interviews
from storage.records import Actor
from storage.tasks import close_where

MAX_VOICE_BYTES = 20 * 1024 * 1024
"""Telegram hands bots files up to 20 MB; the web chat takes no more."""


@dataclass(frozen=True)
class VoiceAnswer:
    """One voice answer, without its audio."""

    id: str
    interview_id: str
    seconds: int | None
    mime: str
    size: int
    created_at: datetime
    listened_at: datetime | None
    listened_by: str | None


class Voices:
    def __init__(self, db: Database, interviews: Interviews) -> None:
        self.db = db
        self.interviews = interviews

    async def keep(
        self, interview_id: str, audio: bytes, seconds: int | None, mime: str, at: datetime
    ) -> str:
        """Keep a voice note's audio, encrypted; its reference. The engine then decides
        whether it is an answer (if not, the step that refuses it deletes it)."""
        if len(audio) > MAX_VOICE_BYTES:
            raise ValueError("voice note larger than 20 MB")
        voice_id = f"v-{secrets.token_hex(8)}"
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO voice_answers (id, interview_id, seconds, mime, size, body, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    voice_id,
                    interview_id,
                    seconds,
                    mime,
                    len(audio),
                    self.db.cipher.encrypt_bytes(audio),
                    iso(at),
                ),
            )
        return voice_id

    async def for_interview(self, interview_id: str) -> list[VoiceAnswer]:
        rows = await self.db.fetch_all(
            "SELECT id, interview_id, seconds, mime, size, created_at, listened_at, "
            "listened_by FROM voice_answers WHERE interview_id = ? ORDER BY created_at, id",
            (interview_id,),
        )
        return [
            VoiceAnswer(
                r["id"],
                r["interview_id"],
                r["seconds"],
                r["mime"],
                int(r["size"]),
                parse_time(r["created_at"]) or datetime.min,
                parse_time(r["listened_at"]),
                r["listened_by"],
            )
            for r in rows
        ]

    async def listen(
        self, voice_id: str, actor: Actor, at: datetime, purpose: str = "voice_played"
    ) -> bytes:
        """The audio, for someone allowed to read the interview; the first listen is noted,
        every one is audited, and the interview's listen task closes when all are heard."""
        row = await self.db.fetch_one(
            "SELECT interview_id, body FROM voice_answers WHERE id = ?", (voice_id,)
        )
        if row is None:
            raise NotFound(f"No voice answer {voice_id}.")
        interview_id = str(row["interview_id"])
        await self.interviews.require_access(interview_id, actor, at, purpose)
        audio = self.db.cipher.decrypt_bytes(row["body"])
        async with self.db.transaction() as connection:
            await connection.execute(
                "UPDATE voice_answers SET listened_at = COALESCE(listened_at, ?), "
                "listened_by = COALESCE(listened_by, ?) WHERE id = ?",
                (iso(at), actor.label, voice_id),
            )
            await write_audit(connection, actor, purpose, at, interview_id, voice_id)
            async with connection.execute(
                "SELECT COUNT(*) FROM voice_answers WHERE interview_id = ? AND listened_at IS NULL",
                (interview_id,),
            ) as cursor:
                unheard = (await cursor.fetchone() or (0,))[0]
            if unheard == 0:
                await close_where(
                    connection, self.db, "listened", actor.label, at, interview_id, "listen"
                )
        return audio
