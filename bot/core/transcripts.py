"""Reading one interview: every channel and the command line ask here, so every read is
checked against the reader's homes or services and audited in one place."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Literal

from bot.core.context import AppContext
from bot.core.tasks import staff_name
from bot.documents.concern_view import call_back_views
from bot.documents.exports import plain_direction
from bot.documents.pages import transcript_html, transcript_markdown
from bot.documents.transcript import transcript_json, transcript_text
from bot.documents.view import build_view
from flows.voice import voice_words
from storage import Actor
from storage.voices import VoiceAnswer

TranscriptFormat = Literal["text", "markdown", "html", "json"]


def voice_line(voice: VoiceAnswer, names: Mapping[int, str]) -> str:
    """One voice answer in words: how long, and whether someone has listened."""
    if voice.listened_at is None:
        heard = "NOT YET LISTENED TO (nothing checks audio for risk)"
    else:
        heard = (
            f"listened to by {staff_name(voice.listened_by or '', names)} on "
            f"{voice.listened_at:%d %b %Y}"
        )
    return f"{voice_words(voice.seconds)}, {voice.created_at:%d %b %H:%M}: {heard}"


def voice_lines(voices: list[VoiceAnswer], names: Mapping[int, str]) -> str:
    """The voice answers after a text transcript."""
    if not voices:
        return ""
    lines = ["", "== Voice answers (the recordings are sent with the transcript) =="]
    return "\n".join([*lines, *(voice_line(v, names) for v in voices)])


TRANSCRIPT_FORMATS: tuple[TranscriptFormat, ...] = ("text", "markdown", "html", "json")


async def read_transcript(
    app: AppContext, interview_id: str, actor: Actor, form: TranscriptFormat = "text"
) -> str:
    """One interview as a document in the format asked for, bidirectional controls shown as
    codes; AccessDenied or NotFound if the reader may not see it. The read is audited."""
    return plain_direction(await _transcript(app, interview_id, actor, form))


async def _transcript(
    app: AppContext, interview_id: str, actor: Actor, form: TranscriptFormat
) -> str:
    now = app.clock()
    record = await app.storage.transcripts.read(interview_id, actor, now)
    flow = app.flows.get(record.interview.flow_id)
    names = await app.storage.staff.names()
    call_backs = call_back_views(await app.storage.tasks.for_interview(interview_id), names)
    if form == "json":
        document = transcript_json(record, flow, names, call_backs)
        return json.dumps(document, ensure_ascii=False, indent=2)
    voices = await app.storage.voices.for_interview(interview_id)
    if form == "text":
        return transcript_text(record, flow, names, call_backs) + voice_lines(voices, names)
    view = build_view(
        record,
        flow,
        await app.storage.followup.for_interview(interview_id),
        await app.storage.followup.thanked_at(interview_id),
        now,
        names=names,
        messages_to_person=await app.storage.thanks.for_interview(interview_id),
        call_backs=call_backs,
    )
    view.voices = [voice_line(v, names) for v in voices]
    return transcript_html(view) if form == "html" else transcript_markdown(view)
