"""Voice answers: a voice note at a free-text question is an answer, kept encrypted; the
interviewer must listen (a task, due the next working day); staff hear it through
/transcript (audited); erasure removes it; elsewhere a voice note is not kept."""

from __future__ import annotations

from storage import Actor
from storage.records import StaffMember
from tests.e2e.conftest import OPERATOR, RunningBot
from tests.e2e.test_interview import CHAT
from tests.fake_telegram import FakeBotApi

INTERVIEWER = 801
AUDIO = b"OggS\x00\x02 synthetic opus audio for the test " * 40


async def test_a_voice_note_is_an_answer_staff_can_hear_and_erasure_removes(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await bot.app.storage.staff.add(
        INTERVIEWER, "Ivy Interviewer", "interviewer", ["Oak House"], OPERATOR, bot.clock()
    )
    member = StaffMember(INTERVIEWER, "Ivy Interviewer", "interviewer", ("Oak House",))
    interview_id, token = await bot.invite(actor=Actor.for_staff(member))
    api.message(CHAT, f"/start {token}")
    await api.wait_for_text(CHAT, "Do you want to start?")
    api.tap(CHAT, "Yes, let's start")
    await api.wait_for_text(CHAT, "Did you feel safe?")
    api.voice(CHAT, AUDIO, duration=42)
    await api.wait_for_text(CHAT, "I can only take a voice answer when I ask you to type")
    api.tap(CHAT, "No")
    await api.wait_for_text(CHAT, "What made you feel unsafe?")
    api.voice(CHAT, AUDIO, duration=42)
    await api.wait_for_text(CHAT, "A person will listen to it")
    api.tap(CHAT, "Next")
    await api.wait_for_text(CHAT, "Who decided?")
    (kept,) = await bot.app.storage.voices.for_interview(interview_id)
    assert kept.seconds == 42 and kept.size == len(AUDIO) and kept.listened_at is None
    raw = await bot.app.storage.db.fetch_one("SELECT body FROM voice_answers")
    assert raw is not None and AUDIO[:20] not in bytes(raw[0]), "kept encrypted"
    record = await bot.app.storage.transcripts.load(interview_id)
    assert record.answers["q_follow_up"].startswith("🎤 voice answer, 0:42")
    task = await api.wait_for_text(INTERVIEWER, "A voice answer to listen to")
    assert interview_id in task.text
    api.message(INTERVIEWER, f"/transcript {interview_id}")
    shown = await api.wait_for_text(INTERVIEWER, "NOT YET LISTENED TO")
    assert "voice answer, 0:42" in shown.text
    await api.wait_for(lambda: bool(api.voices_sent[INTERVIEWER]))
    assert api.voices_sent[INTERVIEWER][0] == AUDIO, "the recording itself, sent back"
    (heard,) = await bot.app.storage.voices.for_interview(interview_id)
    assert heard.listened_by == f"staff:{INTERVIEWER}"
    listen = [
        t for t in await bot.app.storage.tasks.for_interview(interview_id) if t.kind == "listen"
    ]
    assert listen and not listen[0].open, "listening closes the task"
    actions = [e.action for e in await bot.app.storage.audit.entries(interview_id)]
    assert "voice_played" in actions
    await bot.app.storage.retention.erase(interview_id, OPERATOR, bot.clock(), "asked to")
    assert await bot.app.storage.voices.for_interview(interview_id) == []
