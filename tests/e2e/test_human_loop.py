"""After the interview, every promise reaches a person: the reviewers hear of a finished
interview, a request to talk reaches the interviewer, "fewer people" limits who can read,
a recommendation reaches its addressee and the response its writer, and thanks reach the
young person's chat after the end."""

from __future__ import annotations

from pathlib import Path

from storage import Actor
from tests.conftest import FakeClock
from tests.e2e.conftest import OPERATOR, RunningBot, make_settings
from tests.e2e.test_interview import consent_with, open_and_consent
from tests.fake_telegram import FakeBotApi

PERSON = 9301
OAK_REVIEWER = 601
OAK_SECOND_REVIEWER = 602
ELM_REVIEWER = 603
ADMIN = 604
OAK_INTERVIEWER = 605
MANAGER = 606


async def register(bot: RunningBot) -> None:
    staff = bot.app.storage.staff
    now = bot.clock()
    await staff.add(OAK_REVIEWER, "Ola Reviewer", "reviewer", ["Oak House"], OPERATOR, now)
    await staff.add(OAK_SECOND_REVIEWER, "Sam Second", "reviewer", ["Oak House"], OPERATOR, now)
    await staff.add(ELM_REVIEWER, "Eli Elm", "reviewer", ["Elm House"], OPERATOR, now)
    await staff.add(ADMIN, "Ada Admin", "admin", [], OPERATOR, now)
    await staff.add(OAK_INTERVIEWER, "Ivy Interviewer", "interviewer", ["Oak House"], OPERATOR, now)
    await staff.add(MANAGER, "Max Manager", "interviewer", ["Oak House"], OPERATOR, now)


async def interviewer() -> Actor:
    from storage.records import StaffMember

    return Actor.for_staff(
        StaffMember(OAK_INTERVIEWER, "Ivy Interviewer", "interviewer", ("Oak House",))
    )


async def finish_every_kind(bot: RunningBot, api: FakeBotApi, chat: int = PERSON) -> str:
    """Open an every-kind interview made by the interviewer and send it, skipping through."""
    interview_id = await open_and_consent(bot, api, chat, actor=await interviewer())
    api.tap(chat, "Yes")
    await api.wait_for_text(chat, "Who decided?")
    api.tap(chat, "I did")
    await api.wait_for_text(chat, "What did you do?")
    api.tap(chat, "Done")
    await api.wait_for_text(chat, "How was it?")
    api.tap(chat, "Good")
    await api.wait_for_text(chat, "Anything else?")
    api.message(chat, "It was fine")
    await api.wait_for_text(chat, "Add more")
    api.tap(chat, "Next")
    await api.wait_for_text(chat, "Nothing is sent until you say so")
    api.tap(chat, "Yes, send it")
    await api.wait_for_text(chat, "Thank you.")
    return interview_id


async def test_a_finished_interview_notifies_its_homes_reviewers_only(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register(bot)
    interview_id = await finish_every_kind(bot, api)
    notice = await api.wait_for_text(OAK_REVIEWER, "Interview finished")
    await api.wait_for_text(OAK_SECOND_REVIEWER, "Interview finished")
    assert "Test Person" in notice.text and "Oak House" in notice.text
    assert "One question of each kind" in notice.text, "the flow is named, not its id"
    assert "No safeguarding concerns" in notice.text
    await api.wait_until_idle()
    for other in (ELM_REVIEWER, ADMIN, OAK_INTERVIEWER):
        assert not any("Interview finished" in t for t in api.texts(other)), other
    api.press(OAK_REVIEWER, notice.button_data("Read the transcript"), notice)
    transcript = await api.wait_for_text(OAK_REVIEWER, "It was fine")
    assert interview_id in transcript.text
    api.press(OAK_REVIEWER, notice.button_data("no action needed"), notice)
    await api.wait_for(lambda: "no action needed (recorded)" in notice.text)
    summary = await bot.app.storage.interviews.get(interview_id)
    assert summary.decision == "no_action"
    tasks = {t.kind: t for t in await bot.app.storage.tasks.for_interview(interview_id)}
    assert set(tasks) == {"read", "read_free_text"}
    assert not tasks["read"].open
    free_text = tasks["read_free_text"]
    assert free_text.open and free_text.owner_user_id == OAK_INTERVIEWER
    actions = [e.action for e in await bot.app.storage.audit.entries(interview_id)]
    assert "transcript_read" in actions and "decision_recorded" in actions


async def test_asking_to_talk_reaches_the_interviewer_and_is_reminded_when_overdue(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register(bot)
    interview_id = await finish_every_kind(bot, api)
    api.tap(PERSON, "Talk to a person")
    await api.wait_for_text(PERSON, "How would you like that?")
    api.tap(PERSON, "A phone call")
    await api.wait_for_text(PERSON, "What number should they call?")
    api.message(PERSON, "07700 900123")
    await api.wait_for_text(PERSON, "When is a good time?")
    api.tap(PERSON, "Afternoon")
    told = await api.wait_for_text(PERSON, "will contact you by phone, in the afternoon")
    assert "next working day" in told.text
    request = await api.wait_for_text(OAK_INTERVIEWER, "Asked to talk to a person")
    assert "07700 900123" in request.text and "in the afternoon" in request.text
    assert not any("Asked to talk" in t for t in api.texts(MANAGER)), "only its interviewer"
    assert not any("Asked to talk" in t for t in api.texts(OAK_REVIEWER))
    (call_back,) = [
        t for t in await bot.app.storage.tasks.for_interview(interview_id) if t.kind == "call_back"
    ]
    assert call_back.owner_user_id == OAK_INTERVIEWER
    bot.clock.advance(days=4)
    await api.wait_for(
        lambda: any("⏰ Reminder" in t and "Asked to talk" in t for t in api.texts(OAK_INTERVIEWER))
    )
    api.message(OAK_INTERVIEWER, "/tasks")
    listing = await api.wait_for_text(OAK_INTERVIEWER, "Your open tasks")
    assert call_back.ref in listing.text and "OVERDUE" in listing.text
    api.message(OAK_INTERVIEWER, f"/done {call_back.ref} Called on Tuesday, all well")
    await api.wait_for_text(OAK_INTERVIEWER, f"Task {call_back.ref} closed")
    closed = await bot.app.storage.tasks.get(call_back.ref)
    assert closed.close_note == "Called on Tuesday, all well"


async def fewer_people_interview(bot: RunningBot, api: FakeBotApi) -> str:
    """An interview with Oak's first reviewer assigned, whose young person has just said
    Yes to fewer people seeing their answers; its id."""
    await register(bot)
    interview_id, token = await bot.invite("children-home", actor=await interviewer())
    await bot.app.storage.readers.assign_reviewer(interview_id, OAK_REVIEWER, OPERATOR, bot.clock())
    await consent_with(api, PERSON, token, "fewer people to see your answers")
    api.tap(PERSON, "Yes")
    return interview_id


async def test_a_fewer_people_interview_cannot_be_read_by_another_reviewer_of_the_home(
    bot: RunningBot, api: FakeBotApi
) -> None:
    interview_id = await fewer_people_interview(bot, api)
    await api.wait_for_text(PERSON, "Only a few people will see your answers")
    agree = await api.wait_for_text(ADMIN, "Asked for fewer people to see their answers")
    assert interview_id in agree.text
    api.message(OAK_SECOND_REVIEWER, f"/transcript {interview_id}")
    refused = await api.wait_for_text(OAK_SECOND_REVIEWER, "that you can read")
    assert "Test Person" not in refused.text
    api.message(OAK_SECOND_REVIEWER, "/interviews")
    listing = await api.wait_for_text(OAK_SECOND_REVIEWER, "No interviews yet")
    assert interview_id not in listing.text
    api.message(OAK_REVIEWER, f"/transcript {interview_id}")
    await api.wait_for_text(OAK_REVIEWER, "fewer people")
    api.message(ADMIN, f"/readers {interview_id} {OAK_SECOND_REVIEWER}")
    await api.wait_for_text(ADMIN, "Sam Second")
    api.message(OAK_SECOND_REVIEWER, f"/transcript {interview_id}")
    await api.wait_for(
        lambda: sum("fewer people" in t for t in api.texts(OAK_SECOND_REVIEWER)) >= 1
    )
    (agree_task,) = [
        t
        for t in await bot.app.storage.tasks.for_interview(interview_id)
        if t.kind == "agree_readers"
    ]
    assert not agree_task.open


async def test_a_recommendation_reaches_its_addressee_and_the_response_reaches_the_iro(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register(bot)
    interview_id = await finish_every_kind(bot, api)
    await api.wait_for_text(OAK_REVIEWER, "Interview finished")
    api.message(
        OAK_REVIEWER,
        f"/recommend {interview_id}; Max Manager; 2026-03-20; Review night staffing",
    )
    recorded = await api.wait_for_text(OAK_REVIEWER, "It has been sent to Max Manager")
    ref = recorded.text.split()[1]
    sent = await api.wait_for_text(MANAGER, "A recommendation for you from Ola Reviewer")
    assert "Review night staffing" in sent.text and f"/respond {ref}" in sent.text
    api.message(MANAGER, f"/respond {ref} The rota changes in June")
    await api.wait_for_text(MANAGER, f"Response to recommendation {ref} recorded")
    back = await api.wait_for_text(OAK_REVIEWER, "Max Manager responded")
    assert "The rota changes in June" in back.text
    api.message(ELM_REVIEWER, f"/respond {ref} not mine")
    await api.wait_for_text(ELM_REVIEWER, "no recommendation")
    summary = await bot.app.storage.interviews.get(interview_id)
    assert summary.decision == "recommendations"
    kinds = {t.kind: t.open for t in await bot.app.storage.tasks.for_interview(interview_id)}
    assert kinds == {"read": False, "respond": False, "read_free_text": True}


async def test_an_unregistered_addressee_reminds_the_iro_to_send_it_by_hand(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register(bot)
    interview_id = await finish_every_kind(bot, api)
    api.message(OAK_REVIEWER, f"/recommend {interview_id}; CSM Residential; 2026-03-20; Check")
    await api.wait_for_text(OAK_REVIEWER, "not registered with the bot")
    await api.wait_for_text(OAK_REVIEWER, "who is not registered with the bot")


async def test_thanks_reach_the_young_persons_chat_after_the_end(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register(bot)
    interview_id = await finish_every_kind(bot, api)
    api.message(OAK_REVIEWER, f"/thank {interview_id}")
    template = await api.wait_for_text(OAK_REVIEWER, "What happens next")
    assert "..." in template.text
    api.message(OAK_REVIEWER, f"/thank {interview_id}; Thank you. We will fix the wifi by May.")
    await api.wait_for_text(OAK_REVIEWER, "Its delivery is recorded")
    await api.wait_for_text(PERSON, "We will fix the wifi by May.")
    (thanks,) = await bot.app.storage.thanks.for_interview(interview_id)
    for _ in range(50):
        (thanks,) = await bot.app.storage.thanks.for_interview(interview_id)
        if thanks.state == "delivered":
            break
        await api.wait_until_idle()
    assert thanks.state == "delivered"
    assert await bot.app.storage.followup.thanked_at(interview_id) is not None


async def test_thanks_that_cannot_be_delivered_become_a_task(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register(bot)
    interview_id = await finish_every_kind(bot, api)
    api.blocked.add(PERSON)
    api.message(OAK_REVIEWER, f"/thank {interview_id}; Thank you for your answers.")
    task_notice = await api.wait_for_text(OAK_REVIEWER, "could not be delivered")
    assert "Forbidden" in task_notice.text
    (thanks,) = await bot.app.storage.thanks.for_interview(interview_id)
    assert thanks.state == "failed"


async def test_report_in_the_staff_chat_comes_as_a_file_and_is_audited(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register(bot)
    await finish_every_kind(bot, api)
    api.message(OAK_REVIEWER, "/report every-kind 2026-01-01 2026-12-31")
    await api.wait_for(lambda: bool(api.documents[OAK_REVIEWER]), timeout=30)
    name, content, caption = api.documents[OAK_REVIEWER][0]
    assert name == "report-every-kind-2026-01-01-to-2026-12-31.html"
    assert b"monitoring report" in content and "01 January 2026" in caption
    assert b"It was fine" not in content, "no one's own words in a report"
    assert b"Fewer than 5 young people were offered an interview" in content
    entries = await bot.app.storage.audit.entries()
    assert any(e.action == "report" and e.actor == f"staff:{OAK_REVIEWER}" for e in entries)
    api.message(ELM_REVIEWER, "/report every-kind nonsense")
    await api.wait_for_text(ELM_REVIEWER, "/report FLOW FROM TO")


async def test_the_yearly_report_reaches_the_named_admins_once(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock
) -> None:
    settings = make_settings(
        tmp_path,
        api,
        key,
        yearly_report_on=clock().strftime("%m-%d"),
        yearly_report_to=[ADMIN, OAK_REVIEWER],
    )
    running = (await RunningBot(settings, clock).start()).watch(api)
    try:
        await register(running)
        await api.wait_for(lambda: len(api.documents[ADMIN]) == len(running.app.flows), 30)
        await api.wait_until_idle()
        assert len(api.documents[ADMIN]) == len(running.app.flows), "once each, not again"
        assert not api.documents[OAK_REVIEWER], "only admins are sent the whole report"
        names = sorted(name for name, _, _ in api.documents[ADMIN])
        assert names[0].startswith("report-children-home-2025-03-02-to-2026-03-01")
    finally:
        await running.stop()


async def test_a_concern_in_a_fewer_people_interview_reaches_only_those_who_may_read_it(
    bot: RunningBot, api: FakeBotApi
) -> None:
    """A young person who asked for fewer readers may be worried about someone at the home:
    the alert goes at once to the admins and the assigned reviewer, not to every reviewer."""
    await fewer_people_interview(bot, api)
    await api.wait_for_text(PERSON, "Were you happy living here?")
    api.message(PERSON, "a member of staff hits me at night")
    await api.wait_for_text(ADMIN, "safeguarding concern")
    await api.wait_for_text(OAK_REVIEWER, "safeguarding concern")
    await api.wait_until_idle()
    assert not any("safeguarding concern" in t for t in api.texts(OAK_SECOND_REVIEWER))
    assert not any("safeguarding concern" in t for t in api.texts(OAK_INTERVIEWER))
    assert any("999" in t or "safe" in t for t in api.texts(PERSON))
