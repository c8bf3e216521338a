"""A foster carer in Wales takes the interview on WhatsApp in Welsh: the words, the lists
and the template asking them to come back are all Welsh."""

from __future__ import annotations

from tests.fake_whatsapp import FakeCloudApi
from tests.whatsapp.conftest import WhatsAppBot

CARER = "447700900789"


async def test_a_carer_in_welsh(wa_bot: WhatsAppBot, cloud: FakeCloudApi) -> None:
    interview_id, token = await wa_bot.invite("foster-carer", language="cy", name="Carer Test")
    assert await cloud.write(CARER, f"START-{token}") == 200
    consent = await cloud.wait_for_text(CARER, "Hoffech chi gymryd rhan?")
    assert consent.kind == "list" and consent.body["interactive"]["action"]["button"] == "Dewis"
    await cloud.tap(CARER, "Ie, dewch")
    await cloud.wait_for(lambda: len(cloud.since_last_written(CARER)) > 0)
    question = cloud.last_with_choices(CARER)
    assert "Yes" not in str(question.choices), "the answers are in Welsh"
    wa_bot.clock.advance(hours=49)
    template = await cloud.wait_for_text(CARER, "exit_interview_carry_on")
    assert template.body["template"]["language"]["code"] == "cy"
    summary = await wa_bot.app.storage.interviews.get(interview_id)
    assert summary.language == "cy" and summary.status not in {"invited", "declined"}
