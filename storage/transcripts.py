"""Reading what a person said: only for staff who may see it, and every read audited."""

from __future__ import annotations

from datetime import datetime

from storage.audit import write_audit
from storage.codec import decode_value
from storage.concerns import Concerns
from storage.database import Database, parse_time
from storage.interviews import Interviews
from storage.records import Actor, AnswerChange, Transcript, TranscriptLine


class Transcripts:
    def __init__(self, db: Database, interviews: Interviews, concerns: Concerns) -> None:
        self.db = db
        self.interviews = interviews
        self.concerns = concerns

    async def read(
        self, interview_id: str, actor: Actor, at: datetime, purpose: str = "transcript_read"
    ) -> Transcript:
        """The whole record of one interview. Refused, and the refusal audited, if not allowed."""
        await self.interviews.require_access(interview_id, actor, at, purpose)
        async with self.db.transaction() as connection:
            await write_audit(connection, actor, purpose, at, interview_id)
        return await self.load(interview_id)

    async def load(self, interview_id: str) -> Transcript:
        """The record without the access check, for the service's own use (exports check first)."""
        interview = await self.interviews.get(interview_id)
        history = [
            AnswerChange(
                question_id=self.db.open_label(r["question_id"]),
                kind=r["kind"],
                value=decode_value(self.db.open_text(r["value"]))
                if r["value"] is not None
                else None,
                at=parse_time(r["recorded_at"]) or datetime.min,
            )
            for r in await self.db.fetch_all(
                "SELECT question_id, kind, value, recorded_at FROM answers "
                "WHERE interview_id = ? ORDER BY id",
                (interview_id,),
            )
        ]
        answers: dict[str, str | list[str]] = {}
        skipped: list[str] = []
        for change in history:
            if change.kind in {"answered", "changed"} and change.value is not None:
                answers[change.question_id] = change.value
                if change.question_id in skipped:
                    skipped.remove(change.question_id)
            else:
                answers.pop(change.question_id, None)
                if change.kind == "skipped" and change.question_id not in skipped:
                    skipped.append(change.question_id)
                elif change.kind == "cleared" and change.question_id in skipped:
                    skipped.remove(change.question_id)
        lines = [
            TranscriptLine(
                r["direction"], parse_time(r["at"]) or datetime.min, self.db.open_text(r["body"])
            )
            for r in await self.db.fetch_all(
                "SELECT direction, at, body FROM transcript WHERE interview_id = ? ORDER BY id",
                (interview_id,),
            )
        ]
        consented = await self.db.fetch_one(
            "SELECT consented_at FROM interviews WHERE id = ?", (interview_id,)
        )
        return Transcript(
            interview=interview,
            consented_at=parse_time(consented[0]) if consented else None,
            answers=answers,
            skipped=skipped,
            history=history,
            lines=lines,
            concerns=await self.concerns.for_interview(interview_id),
        )
