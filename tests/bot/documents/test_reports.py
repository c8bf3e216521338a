"""Transcripts, exports and the monitoring report, checked against independent counts."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.documents.exports import export_rows, to_csv, to_json
from bot.documents.pages import transcript_html, transcript_markdown
from bot.documents.report.figures import OVERALL, Report
from bot.documents.report.gather import gather_report
from bot.documents.report.html import report_html
from bot.documents.view import TranscriptView, build_view
from flows import load_flows
from storage import AccessDenied, Actor, Storage
from storage.followup import Addressee
from tests.conftest import FakeClock
from tests.storage.helpers import invite, start_and_consent, tap, type_text
from tests.synthetic import OPERATOR, make_interviews

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
HOMES = ["Oak House", "Elm House", "Ash House"]
HOSTILE = "<script>alert('x')</script> &amp; \u202eevil\u202c مرحبا 👍🏽 " + "long " * 400


async def report_for(storage: Storage, flow_id: str, actor: Actor = OPERATOR) -> Report:
    return await gather_report(storage, load_flows()[flow_id], actor, START + timedelta(days=400))


async def interview_with_follow_up(
    storage: Storage, clock: FakeClock, name: str, words: str
) -> TranscriptView:
    """One interview with free text and a recommendation, as staff would read it."""
    from tests.flows.helpers import every_kind

    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock(), name=name)
    await start_and_consent(storage, flow, interview_id, clock())
    await tap(storage, flow, interview_id, "no", clock())
    await type_text(storage, flow, interview_id, words, clock())
    await tap(storage, flow, interview_id, "_next", clock())
    await tap(storage, flow, interview_id, "me", clock())
    await storage.followup.recommend(
        interview_id,
        "Review <night> staffing",
        Addressee("CSM Residential Services"),
        datetime(2026, 4, 1, 17, tzinfo=UTC),
        OPERATOR,
        clock(),
    )
    record = await storage.transcripts.read(interview_id, OPERATOR, clock())
    return build_view(
        record, flow, await storage.followup.for_interview(interview_id), None, clock()
    )


async def test_report_figures_match_independent_counts(storage: Storage) -> None:
    flow = load_flows()["children-home"]
    made = await make_interviews(storage, flow, 300, HOMES, START)
    report = await report_for(storage, "children-home")

    for group in [OVERALL, *HOMES]:
        members = [m for m in made if group in (OVERALL, m.service)]
        uptake = report.uptake[group]
        assert uptake["offered"].count == len(members)
        assert uptake["taken_up"].count == sum(m.status != "declined" for m in members)
        assert uptake["completed"].count == sum(m.status == "completed" for m in members)
        assert uptake["stopped"].count == sum(m.status == "stopped" for m in members)
        assert uptake["declined"].count == sum(m.status == "declined" for m in members)
        for table in report.yes_no:
            expected = Counter(
                m.answers[table.question_id] for m in members if table.question_id in m.answers
            )
            skipped = sum(table.question_id in m.skipped for m in members)
            counts = [cell.count for cell in table.rows[group]]
            assert counts == [expected["yes"], expected["no"], expected["not_sure"], skipped]
    assert report.concerns[OVERALL].raised == sum(m.concern for m in made)
    felt_safe = next(t for t in report.yes_no if t.question_id == "felt_safe")
    assert felt_safe.seed == "Did you feel safe?"


async def test_foster_carer_reasons_are_ranked(storage: Storage) -> None:
    flow = load_flows()["foster-carer"]
    made = await make_interviews(storage, flow, 120, ["Service A", "Service B"], START, seed=3)
    report = await report_for(storage, "foster-carer")
    reasons = next(t for t in report.ranked if t.question_id == "reasons")
    expected = Counter(v for m in made for v in m.answers.get("reasons", []))
    counts = [cell.count for cell in reasons.rows[OVERALL]]
    assert counts == sorted(counts, reverse=True)
    assert sum(counts) == sum(expected.values())
    top = next(o for o in flow.question("reasons").options if o.id == expected.most_common(1)[0][0])
    assert (
        reasons.columns[0] == top.text["en"]
        or expected.most_common(2)[0][1] == expected.most_common(2)[1][1]
    )
    html = report_html(report)
    assert "Reasons and what would have helped, ranked" in html
    assert "data:image/png;base64," in html


async def test_small_numbers_are_suppressed(storage: Storage) -> None:
    flow = load_flows()["children-home"]
    await make_interviews(storage, flow, 60, ["Oak House"], START)
    await make_interviews(storage, flow, 3, ["Tiny House"], START + timedelta(days=30), seed=9)
    report = await report_for(storage, "children-home")
    tiny = report.uptake["Tiny House"]["offered"]
    assert tiny.count == 3 and tiny.shown == "*" and tiny.share == "—"
    for table in report.yes_no:
        assert all(cell.shown == "*" for cell in table.rows["Tiny House"] if cell.count)
        assert table.row_hidden("Tiny House")
    html = report_html(report, with_charts=False)
    row = html.split("<td>Offered an interview</td>")[1].split("</tr>")[0]
    assert "<td>*</td>" in row and "<td>3</td>" not in row


async def test_reports_never_hold_free_text(storage: Storage) -> None:
    flow = load_flows()["children-home"]
    await make_interviews(storage, flow, 40, HOMES, START, free_text="ZEBRA-SECRET-WORDS")
    html = report_html(await report_for(storage, "children-home"))
    assert "ZEBRA-SECRET-WORDS" not in html


async def test_a_reviewer_is_refused_outside_their_services(storage: Storage) -> None:
    flow = load_flows()["children-home"]
    await make_interviews(storage, flow, 30, HOMES, START)
    member = await storage.staff.add(601, "Reviewer", "reviewer", ["Oak House"], OPERATOR, START)
    actor = Actor.for_staff(member)
    with pytest.raises(AccessDenied, match="not assigned to Elm House"):
        await storage.reporting.answers(
            actor, START, "export", flow_id="children-home", service="Elm House"
        )
    mine = await storage.reporting.answers(actor, START, "export", flow_id="children-home")
    assert {m.interview.service for m in mine} == {"Oak House"}
    actions = [a.action for a in await storage.audit.entries() if a.actor == "staff:601"]
    assert actions == ["access_refused", "export"]


async def test_csv_export_opens_in_a_spreadsheet_and_leaves_out_free_text(storage: Storage) -> None:
    flow = load_flows()["foster-carer"]
    made = await make_interviews(
        storage,
        flow,
        25,
        ["Gwasanaeth Maethu Ŵy"],
        START,
        free_text="Roedd y gefnogaeth yn wych — diolch",
    )
    found = await storage.reporting.answers(OPERATOR, START, "export", flow_id="foster-carer")
    plain = to_csv(flow, export_rows(flow, found, include_text=False))
    assert plain.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(plain.decode("utf-8-sig"))))
    assert len(rows) == len(made)
    assert rows[0]["service"] == "Gwasanaeth Maethu Ŵy"
    assert rows[0]["language"] == "en", "the language each interview was taken in"
    assert "Roedd y gefnogaeth" not in plain.decode("utf-8-sig")
    assert set(rows[0]) >= {q.id for q in flow.questions()}
    full = json.loads(to_json(export_rows(flow, found, include_text=True)))
    assert any(r["main_reason"] == "Roedd y gefnogaeth yn wych — diolch" for r in full)


async def test_hostile_free_text_is_escaped_in_the_html_transcript(
    storage: Storage, clock: FakeClock
) -> None:
    view = await interview_with_follow_up(storage, clock, "<b>Name</b>", HOSTILE)
    html = transcript_html(view)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert "&lt;b&gt;Name&lt;/b&gt;" in html and "Review &lt;night&gt; staffing" in html
    assert "Original question: Did you feel safe?" in html
    assert "@media print" in html and "break-before: page" in html
    markdown = transcript_markdown(view)
    assert "> \\<script\\>" in markdown


async def test_follow_up_is_recorded_and_overdue_is_listed(
    storage: Storage, clock: FakeClock
) -> None:
    from tests.flows.helpers import every_kind

    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    first = await storage.followup.recommend(
        interview_id,
        "Check the night rota",
        Addressee("CSM Residential Services"),
        datetime(2026, 3, 10, 17, tzinfo=UTC),
        OPERATOR,
        clock(),
    )
    second = await storage.followup.recommend(
        interview_id,
        "Talk to the social worker",
        Addressee("reviewers at Oak House", role="reviewer", service="Oak House"),
        datetime(2026, 3, 20, 17, tzinfo=UTC),
        OPERATOR,
        clock(),
    )
    await storage.followup.respond(second.ref, "Done on 15 March", OPERATOR, clock())
    await storage.followup.thanked(interview_id, OPERATOR, clock())
    assert first.ref.startswith("r-") and first.ref != second.ref
    # Nobody registered is "CSM Residential Services": the writer must send it by hand.
    assert not first.registered and second.registered
    tasks = {t.kind: t for t in await storage.tasks.for_interview(interview_id)}
    assert tasks["send_by_hand"].open and tasks["send_by_hand"].detail["to"].startswith("CSM")
    assert not tasks["respond"].open, "a response closes the task that asked for it"
    counts = await storage.reporting.follow_up_counts([interview_id], date(2026, 3, 25))
    assert counts == {"made": 2, "answered": 1, "overdue": 1, "thanked": 1}


def test_report_documents_open_in_chromium(tmp_path: Path) -> None:
    from tests.browser import chromium_or_skip, screenshot

    chromium = chromium_or_skip()
    page = tmp_path / "page.html"
    page.write_text("<!doctype html><p style='font-size:40px'>Hello</p>", encoding="utf-8")
    shot = screenshot(chromium, page, tmp_path / "shot.png")
    assert shot.stat().st_size > 1000


async def test_transcript_and_report_render_in_chromium(
    storage: Storage, clock: FakeClock, tmp_path: Path
) -> None:
    """Screenshots of both documents; UPDATE_SCREENSHOTS=1 also saves them in docs/."""
    import os
    import shutil

    from tests.browser import chromium_or_skip, screenshot

    chromium = chromium_or_skip()
    view = await interview_with_follow_up(
        storage, clock, "A.B. (synthetic)", "Made-up example: the night staff changed a lot."
    )
    council = ["Oak House", "Elm House", "Ash House", "Yew House"]
    await make_interviews(storage, load_flows()["children-home"], 12, council, START)
    documents = {
        "transcript": transcript_html(view),
        "report-12-interviews": report_html(await report_for(storage, "children-home")),
    }
    for name, html in documents.items():
        page = tmp_path / f"{name}.html"
        page.write_text(html, encoding="utf-8")
        shot = screenshot(chromium, page, tmp_path / f"{name}.png", height=3200)
        assert shot.stat().st_size > 20_000, f"{name} rendered as a near-empty page"
        if os.environ.get("UPDATE_SCREENSHOTS") == "1":
            docs = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
            docs.mkdir(parents=True, exist_ok=True)
            shutil.copy(shot, docs / f"{name}.png")


async def test_text_transcript_shows_skips_changes_and_original_wording(
    storage: Storage, clock: FakeClock
) -> None:
    from bot.documents.transcript import transcript_text
    from flows.inputs import Command, Control
    from tests.flows.helpers import every_kind
    from tests.storage.helpers import feed

    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    await tap(storage, flow, interview_id, "yes", clock())
    await feed(storage, flow, interview_id, Command(at=clock(), control=Control.BACK))
    await tap(storage, flow, interview_id, "not_sure", clock())
    await feed(storage, flow, interview_id, Command(at=clock(), control=Control.SKIP))
    text = transcript_text(await storage.transcripts.load(interview_id), flow)
    assert (
        "Q: Did you feel safe?\n   (original: Did you feel safe?)\nA:\n  │ Not sure\n"
        "   (changed 1 time(s))" in text
    )
    assert "Q: Who decided?\nA: (skipped)" in text


@pytest.mark.parametrize("count", [0, 1, 3])
async def test_a_small_carers_report_draws_without_a_warning(storage: Storage, count: int) -> None:
    """With so few answers every cell is hidden; the charts must still draw cleanly."""
    import warnings

    await make_interviews(storage, load_flows()["foster-carer"], count, HOMES[:1], START)
    for service in (None, HOMES[0]):
        built = await gather_report(
            storage,
            load_flows()["foster-carer"],
            OPERATOR,
            START + timedelta(days=400),
            service=service,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert "<html" in report_html(built)


async def test_a_welsh_interview_shows_its_language_and_the_question_as_asked(
    storage: Storage, clock: FakeClock
) -> None:
    """Staff read English, but see what the carer actually read and tapped, in Welsh."""
    from flows import step
    from flows.inputs import Choice, Start

    flow = load_flows()["foster-carer"]
    interview_id, _ = await invite(storage, flow, clock(), service="Gwasanaeth Maethu A")
    for make in (
        lambda s: Start(at=clock(), language="cy"),
        lambda s: Choice(at=clock(), value="yes", prompt=s.prompt),
        lambda s: Choice(at=clock(), value="no", prompt=s.prompt),
    ):
        state = await storage.interviews.state(interview_id)
        result = step(flow, state, make(state))
        await storage.steps.save_step(interview_id, result, at=clock(), incoming="x", chat_id=1)
    record = await storage.transcripts.load(interview_id)
    view = build_view(record, flow, [], None, clock())
    assert view.language == "Cymraeg (Welsh)"
    first = view.sections[0].questions[0]
    assert first.text.startswith("Would you like fewer people")
    assert first.asked is not None and first.asked.startswith("Hoffech chi i lai o bobl")
    assert first.answer == "No" and first.answer_as_seen == "Na hoffwn"
    html = transcript_html(view)
    assert "Language of the interview" in html and "Hoffech chi i lai o bobl" in html
    assert "Hoffech chi i lai o bobl" in transcript_markdown(view)


async def test_the_carers_report_says_how_many_answered_in_welsh(storage: Storage) -> None:
    flow = load_flows()["foster-carer"]
    await make_interviews(storage, flow, 8, HOMES[:1], START)
    built = await gather_report(storage, flow, OPERATOR, START + timedelta(days=400))
    html = report_html(built)
    assert "Answered in Welsh" in html and "Answered in English" in html
    assert "In Welsh: Wnaethoch chi wynebu honiad" in html, (
        "each question as Welsh speakers read it"
    )
    young = await report_for(storage, "children-home")
    assert "Answered in Welsh" not in report_html(young), "only where Welsh is offered"


@pytest.mark.parametrize("flow_id", ["children-home", "foster-carer"])
async def test_with_fewer_than_five_interviews_the_report_says_so_once(
    storage: Storage, flow_id: str
) -> None:
    flow = load_flows()[flow_id]
    await make_interviews(storage, flow, 3, HOMES[:1], START)
    html = report_html(await report_for(storage, flow_id))
    assert html.count("Fewer than 5") == 1
    assert "offered an interview in this period, so no figures and none of their answers" in html
    assert "<h3>" not in html and "data:image/png" not in html
    concerns = html.split("<h2>Safeguarding concerns</h2>", 1)[1]
    assert "<td>Recommendations made</td>" in concerns


async def test_with_enough_interviews_every_question_is_shown(storage: Storage) -> None:
    flow = load_flows()["children-home"]
    await make_interviews(storage, flow, 40, HOMES, START)
    html = report_html(await report_for(storage, "children-home"), with_charts=False)
    assert "so this report shows none of their answers" not in html
    assert html.count("<h3>") >= 10


async def test_transcripts_and_reports_pass_axe_with_landmarks(
    storage: Storage, clock: FakeClock, tmp_path: Path
) -> None:
    """No serious or critical axe-core violation, and no landmark rule broken (those are
    'moderate' in axe, but a screen-reader user needs them to find their way round)."""

    from tests.browser import FLAGS, chromium_or_skip

    axe = Path(__file__).resolve().parents[2] / "web" / "node_modules" / "axe-core" / "axe.min.js"
    if not axe.exists():
        pytest.skip("axe-core is not installed (npm ci --prefix tests/web); the check did not run")
    chromium = chromium_or_skip()
    view = await interview_with_follow_up(storage, clock, "A.B. (synthetic)", "Made-up words.")
    await make_interviews(storage, load_flows()["children-home"], 3, HOMES[:1], START)
    small = report_html(await report_for(storage, "children-home"))
    await make_interviews(storage, load_flows()["children-home"], 30, HOMES, START, seed=4)
    documents = {
        "transcript": transcript_html(view),
        "report": report_html(await report_for(storage, "children-home")),
        "small report": small,
    }
    from playwright.async_api import async_playwright

    found: dict[str, list[str]] = {}
    async with async_playwright() as playwright:
        flags = [flag for flag in FLAGS if flag != "--headless"]
        browser = await playwright.chromium.launch(executable_path=chromium, args=flags)
        page = await browser.new_page()
        for name, html in documents.items():
            target = tmp_path / f"{name.replace(' ', '-')}.html"
            target.write_text(html, encoding="utf-8")
            await page.goto(target.as_uri())
            await page.add_script_tag(path=str(axe))
            result = await page.evaluate("async () => await axe.run(document)")
            found[name] = [
                f"{v['id']}: {v['help']}"
                for v in result["violations"]
                if v.get("impact") in {"serious", "critical"}
                or v["id"].startswith(("landmark", "region", "page-has-heading"))
            ]
        await browser.close()
    assert found == {name: [] for name in documents}
