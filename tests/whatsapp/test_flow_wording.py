"""The flow files say how an interview is worded where the channel is narrow: the approved
templates (printed for Meta), shorter labels for short buttons and list rows (and `flows
check` warns where one is missing), and the consent's line on what Meta can see."""

from __future__ import annotations

from pathlib import Path

from bot.whatsapp.rendering import more_list, render
from bot.whatsapp.templates import template_body
from flows.check import fit_warnings
from flows.outputs import Message
from flows.problems import line_index
from flows.prompts import Prompter
from flows.state import InterviewState, Phase
from tests.bot.commandline import cli
from tests.fake_whatsapp import FakeCloudApi, SentMessage
from tests.flows.helpers import real_flow
from tests.whatsapp.conftest import WhatsAppBot

ROOT = Path(__file__).resolve().parents[2]
CARER_FILE = ROOT / "flows" / "definitions" / "foster-carer.yaml"
CARER = "447700900790"
OTHER_CARER = "447700900791"


def _shown(flow_id: str, question_id: str, language: str = "en") -> SentMessage:
    flow = real_flow(flow_id)
    lang = "cy" if language == "cy" else "en"
    state = InterviewState(flow_id=flow.id, language=lang, phase=Phase.QUESTION)
    message = Prompter(flow, state).question_message(flow.question(question_id))
    (part,) = render(message, "iv-1", lang, flow)
    return SentMessage("", "", part.body)


def test_templates_come_from_the_flow_in_its_languages() -> None:
    carer = real_flow("foster-carer")
    body, words = template_body("carry_on", "cy", carer, [])
    assert body["template"] == {"name": "exit_interview_carry_on", "language": {"code": "cy"}}
    assert words.startswith("Helo.")
    english_only = real_flow("children-home")
    body, words = template_body("message_waiting", "cy", english_only, [])
    assert body["template"]["language"]["code"] == "en_GB", "no Welsh: the English one"
    assert "has written to you" in words


def test_flows_templates_prints_every_name_and_language_for_meta(env: dict[str, str]) -> None:
    printed = cli(env, "flows", "templates", "--flow", "foster-carer")
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.count("name: exit_interview_carry_on") == 2
    assert "language: en_GB" in printed.stdout and "language: cy" in printed.stdout
    assert "Atebwch y neges hon i'w darllen" in printed.stdout
    assert "children-home" not in printed.stdout
    unknown = cli(env, "flows", "templates", "--flow", "no-such-flow")
    assert unknown.returncode != 0 and "Choose one of" in unknown.stdout + unknown.stderr


def test_a_short_label_turns_a_long_answer_into_a_button() -> None:
    shown = _shown("foster-carer", "provider")
    assert shown.kind == "button", "two answers, shortened to fit reply buttons"
    titles = [title for _, title in shown.choices]
    assert "Council" in titles and "Independent provider" in titles
    welsh = _shown("foster-carer", "provider", "cy")
    assert "Cyngor" in [title for _, title in welsh.choices]


def test_flows_check_warns_where_an_answer_has_no_short_label() -> None:
    index = line_index(CARER_FILE.read_text(encoding="utf-8"))
    shipped = real_flow("foster-carer")
    warned = [str(w) for w in fit_warnings(shipped, CARER_FILE, index)]
    assert not any("'provider'" in w for w in warned), "its short labels fit"
    bare = shipped.model_copy(update={"short_labels": {}})
    warned = [str(w) for w in fit_warnings(bare, CARER_FILE, index)]
    assert any("'provider' answer 'independent' (en)" in w and "short button" in w for w in warned)
    assert any("'reasons' has 11 answers" in w for w in warned), "more than ten list rows"
    typo = shipped.model_copy(update={"short_labels": {"provider": {"nobody": {"en": "x"}}}})
    assert any("'nobody'" in str(w) for w in fit_warnings(typo, CARER_FILE, index))


async def test_the_consent_says_what_meta_can_see(wa_bot: WhatsAppBot, cloud: FakeCloudApi) -> None:
    _, token = await wa_bot.invite("foster-carer", language="cy", name="Carer Test")
    assert await cloud.write(CARER, f"START-{token}") == 200
    consent = await cloud.wait_for_text(CARER, "Hoffech chi gymryd rhan?")
    assert "Gall weld pwy ysgrifennodd aton ni a phryd" in consent.text
    _, token = await wa_bot.invite("foster-carer", language="en", name="Carer Two")
    assert await cloud.write(OTHER_CARER, f"START-{token}") == 200
    await cloud.wait_for(
        lambda: any("who wrote to us and when" in t for t in cloud.texts(OTHER_CARER))
    )


def test_the_provider_line_is_only_with_the_consent() -> None:
    shown = _shown("children-home", "felt_safe")
    assert "app company" not in shown.text


def test_leave_quickly_says_how_to_delete_the_chat() -> None:
    [concern] = render(Message("Thank you for telling us.", "concern"), "iv-1", "cy")
    assert "Dileu sgwrs" in concern.body["text"]["body"]
    more = more_list("iv-1", 3, "en").body["interactive"]["body"]["text"]
    assert "close WhatsApp" in more and "Delete chat" in more
    assert "Delete chat" not in _shown("children-home", "felt_safe").text, "not on every question"


def test_the_shipped_flows_fit_but_for_one_long_list() -> None:
    warned = []
    for flow_id in ("children-home", "children-home-easy-read", "foster-carer"):
        file = ROOT / "flows" / "definitions" / f"{flow_id}.yaml"
        index = line_index(file.read_text(encoding="utf-8"))
        warned += [str(w) for w in fit_warnings(real_flow(flow_id), file, index)]
    assert len(warned) == 1 and "'reasons' has 11 answers" in warned[0], warned
    carer = real_flow("foster-carer")
    state = InterviewState(flow_id=carer.id, language="cy", phase=Phase.QUESTION)
    message = Prompter(carer, state).question_message(carer.question("reasons"))
    parts = render(message, "iv-1", "cy", carer)
    titles = [
        row["title"]
        for part in parts
        for section in part.body["interactive"]["action"]["sections"]
        for row in section["rows"]
    ]
    assert "▫ Galar pan aeth plentyn" in titles, "the flow's own short words, not a cut"
