"""A voice note on WhatsApp is an answer at a free-text question: fetched from the Cloud
API once, kept encrypted like every answer, and refused (not kept) anywhere else."""

from __future__ import annotations

from tests.fake_whatsapp import FakeCloudApi
from tests.whatsapp.conftest import PERSON, WhatsAppBot
from tests.whatsapp.test_interview import start

AUDIO = b"OggS" + bytes(range(256)) * 8


async def test_a_voice_note_is_fetched_once_and_kept_encrypted(
    wa_bot: WhatsAppBot, cloud: FakeCloudApi
) -> None:
    interview_id = await start(wa_bot, cloud)
    await cloud.tap(PERSON, "Yes")
    await cloud.wait_for_text(PERSON, "Did you feel safe?")
    assert await cloud.voice(PERSON, AUDIO) == 200
    await cloud.wait_for_text(PERSON, "I can only take a voice answer when I ask you to type")
    assert await wa_bot.app.storage.voices.for_interview(interview_id) == []
    await cloud.tap(PERSON, "No")
    await cloud.wait_for_text(PERSON, "What made you feel unsafe?")
    assert await cloud.voice(PERSON, AUDIO) == 200
    await cloud.wait_for_text(PERSON, "A person will listen to it")
    assert len(await wa_bot.app.storage.voices.for_interview(interview_id)) == 1
    raw = await wa_bot.app.storage.db.fetch_one("SELECT body FROM voice_answers")
    assert raw is not None and AUDIO[:64] not in bytes(raw["body"]), "kept encrypted"
    assert all(count == 1 for count in cloud.media_fetches.values()), "fetched once"
    await cloud.tap(PERSON, "Next")
    await cloud.wait_for_text(PERSON, "Who decided?")
    record = await wa_bot.app.storage.transcripts.load(interview_id)
    assert record.answers["q_follow_up"].startswith("🎤 voice answer")
