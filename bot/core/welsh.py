"""Every Welsh string the product can show, in one list, for a Welsh speaker to review.

The Welsh lives beside the English it translates (the flows' YAML, the engine's phrases,
the bot's fixed notices); this gathers it so a reviewer can read it all in one place, and
`docs/welsh-strings.md` is checked against it by the tests so that it never falls behind.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bot.core.notices import COMMANDS, NOTICES
from flows import Flow
from flows.help import HelpDirectory
from flows.welsh_answers import WELSH_YES_NO
from flows.wording import WORDS

HEADER = """# Every Welsh string

Made by `exit-interviews flows welsh --out docs/welsh-strings.md`; do not edit by hand (the
tests fail if it falls behind the code). The Welsh was drafted by a non-native writer: a
fluent reviewer should read every line here before a deployment goes live (see
docs/welsh.md). Each row gives where the string lives, the English and the Welsh.
"""


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def _pairs(value: Any, path: str) -> Iterator[tuple[str, str, str]]:
    """(where, English, Welsh) for every bilingual text inside a dumped model."""
    if isinstance(value, Mapping):
        if "cy" in value and isinstance(value.get("cy"), str):
            yield path, str(value.get("en", "")), str(value["cy"])
            return
        for key, inner in value.items():
            yield from _pairs(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            name = inner.get("id") if isinstance(inner, Mapping) else None
            yield from _pairs(inner, f"{path}[{name or index}]")


def _table(title: str, rows: list[tuple[str, str, str]]) -> list[str]:
    lines = [f"## {title}", "", "| where | English | Welsh |", "| --- | --- | --- |"]
    lines += [f"| `{where}` | {_cell(en)} | {_cell(cy)} |" for where, en, cy in rows]
    return [*lines, ""]


def _yes_no_rows(flow: Flow) -> list[tuple[str, str, str]]:
    """The Welsh yes and no each yes/no question answers with, so the reviewer checks the
    form against the question's verb ("Gawsoch chi...?" takes Do / Naddo)."""
    rows = []
    for question in flow.questions():
        if question.kind == "yes_no":
            words = WELSH_YES_NO.get(question.welsh_yes_no or "ie", ("Ie", "Na"))
            rows.append((question.id, "Yes / No", " / ".join(words)))
    return rows


def welsh_catalogue(flows: Mapping[str, Flow], directory: HelpDirectory) -> str:
    """The whole list as Markdown: engine phrases, fixed notices, the command menu, each
    bilingual flow, and the helplines."""
    parts = [HEADER]
    parts += _table(
        "The interview's own phrases (flows/wording.py)",
        [(key, texts["en"], texts["cy"]) for key, texts in WORDS.items() if texts.get("cy")],
    )
    parts += _table(
        "The bot's fixed replies (bot/core/notices.py)",
        [(key, texts["en"], texts["cy"]) for key, texts in NOTICES.items() if texts.get("cy")],
    )
    english_menu = dict(COMMANDS["en"])
    parts += _table(
        "The command menu (bot/core/notices.py)",
        [(f"/{name}", english_menu.get(name, ""), text) for name, text in COMMANDS["cy"]],
    )
    for flow_id in sorted(flows):
        flow = flows[flow_id]
        if "cy" not in flow.languages:
            continue
        rows = list(_pairs(flow.model_dump(mode="json"), ""))
        parts += _table(f"Flow {flow_id}", rows)
        parts += _table(
            f"Flow {flow_id}: yes and no in the form of each question's verb", _yes_no_rows(flow)
        )
    parts += _table("Helplines", list(_pairs(directory.model_dump(mode="json"), "")))
    return "\n".join(parts).rstrip() + "\n"
