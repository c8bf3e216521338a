"""Reading one interview: every channel and the command line ask here, so every read is
checked against the reader's homes or services and audited in one place."""

from __future__ import annotations

import json
from typing import Literal

from bot.core.context import AppContext
from bot.documents.pages import transcript_html, transcript_markdown
from bot.documents.transcript import transcript_json, transcript_text
from bot.documents.view import build_view
from storage import Actor

TranscriptFormat = Literal["text", "markdown", "html", "json"]
TRANSCRIPT_FORMATS: tuple[TranscriptFormat, ...] = ("text", "markdown", "html", "json")


async def read_transcript(
    app: AppContext, interview_id: str, actor: Actor, form: TranscriptFormat = "text"
) -> str:
    """One interview as a document in the format asked for; AccessDenied or NotFound if the
    reader may not see it. The read is written to the audit log."""
    now = app.clock()
    record = await app.storage.transcripts.read(interview_id, actor, now)
    flow = app.flows.get(record.interview.flow_id)
    if form == "json":
        return json.dumps(transcript_json(record, flow), ensure_ascii=False, indent=2)
    names = await app.storage.staff.names()
    if form == "text":
        return transcript_text(record, flow, names)
    view = build_view(
        record,
        flow,
        await app.storage.followup.for_interview(interview_id),
        await app.storage.followup.thanked_at(interview_id),
        now,
        names=names,
        messages_to_person=await app.storage.thanks.for_interview(interview_id),
    )
    return transcript_html(view) if form == "html" else transcript_markdown(view)
