"""Golden transcripts: a flow and a script of inputs, with every message and event written
to a file beside this test. A change of wording or behaviour shows up in review as a diff.
Regenerate on purpose with: UPDATE_GOLDEN=1 .venv/bin/pytest tests/flows/test_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from flows.inputs import Control
from tests.flows.helpers import Conversation, real_flow

GOLDEN = Path(__file__).parent / "golden"

SCRIPTS: dict[str, list[tuple[str, str]]] = {
    "children-home": [
        ("start", ""),
        ("tap", "yes"),
        ("tap", "yes"),
        ("type", "nope"),
        ("control", "skip"),
        ("tap", "not_sure"),
        ("control", "back"),
        ("tap", "no"),
        ("control", "help"),
        ("tap", "together"),
        ("control", "pause"),
        ("type", "ok I'm back"),
        ("tap", "yes"),
        ("tap", "yes"),
        ("type", "They packed with me"),
        ("tap", "_next"),
        ("tap", "no"),
        ("control", "stop"),
        ("tap", "keep"),
    ],
    "foster-carer": [
        ("start", ""),
        ("tap", "cy"),
        ("tap", "yes"),
        ("tap", "resigned"),
        ("tap", "local_authority"),
        ("tap", "over_10"),
        ("tap", "support"),
        ("tap", "burnout"),
        ("tap", "_done"),
        ("type", "Dim digon o gefnogaeth"),
        ("tap", "_next"),
        ("control", "stop"),
        ("tap", "delete"),
    ],
}


def run(flow_id: str) -> str:
    chat = Conversation(real_flow(flow_id))
    lines: list[str] = []
    for kind, value in SCRIPTS[flow_id]:
        if kind == "start":
            chat.start()
        elif kind == "tap":
            chat.tap(value)
        elif kind == "type":
            chat.type(value)
        else:
            chat.control(Control(value))
        lines.append(f">>> {kind} {value}".rstrip())
        for message in chat.last.messages:
            lines.append(f"[{message.kind}] {message.text}")
            buttons = [b.label for b in message.all_buttons()]
            if buttons:
                lines.append("    buttons: " + " | ".join(buttons))
        events = [e.type for e in chat.last.events if e.type != "waiting"]
        if events:
            lines.append("    events: " + ", ".join(events))
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("flow_id", sorted(SCRIPTS))
def test_golden_transcript(flow_id: str) -> None:
    path = GOLDEN / f"{flow_id}.txt"
    produced = run(flow_id)
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(produced, encoding="utf-8")
    assert path.exists(), f"{path.name} is missing: run UPDATE_GOLDEN=1 once and review it"
    assert produced == path.read_text(encoding="utf-8"), (
        f"{path.name} differs: if the change is meant, run UPDATE_GOLDEN=1 and review the diff"
    )
