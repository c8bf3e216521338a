"""The terminal channel: the same interview as on Telegram, with numbered buttons.

Works typed or piped (one input a line). At the end of its input it pauses the
interview, says so, and exits normally.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TextIO

from rich.console import Console

from bot.context import AppContext
from flows.inputs import Choice, Command, Control, Input, Text
from flows.outputs import Button, Message
from storage.codec import decode_message
from storage.records import Actor, OutgoingMessage

TERMINAL_CHAT = 0
COMMANDS = {f"/{c.value}": c for c in Control}
BUTTON_COMMANDS = {"/next": "_next", "/done": "_done"}
CONTROL_VALUES = frozenset(f"_{c.value}" for c in Control)


@dataclass
class TerminalScreen:
    """What is on screen now: the last prompt's buttons, which numbers refer to."""

    buttons: list[Button]
    prompt: int | None


def read_input(line: str, screen: TerminalScreen, at: datetime) -> tuple[Input, str]:
    """Turn a typed line into an engine input, and the words to keep in the transcript."""
    typed = line.strip()
    if typed.lower() in COMMANDS:
        return Command(at=at, control=COMMANDS[typed.lower()]), typed.lower()
    if typed.lower() in BUTTON_COMMANDS:
        value = BUTTON_COMMANDS[typed.lower()]
        return Choice(at=at, value=value, prompt=screen.prompt), typed.lower()
    if typed.isdigit() and 1 <= int(typed) <= len(screen.buttons):
        button = screen.buttons[int(typed) - 1]
        return Choice(at=at, value=button.value, prompt=screen.prompt), button.label
    return Text(at=at, text=line.rstrip("\n")), line.rstrip("\n")


class TerminalChannel:
    """Runs one interview between a console and the service."""

    def __init__(self, context: AppContext, console: Console, stdin: TextIO = sys.stdin) -> None:
        self.context = context
        self.console = console
        self.stdin = stdin
        self.screen = TerminalScreen([], None)

    def show(self, message: Message) -> None:
        style = {"concern": "bold yellow", "help": "cyan", "ending": "bold green"}.get(
            message.kind, ""
        )
        self.console.print(message.text, style=style, markup=False, highlight=False, soft_wrap=True)
        buttons = [b for b in message.all_buttons() if b.value not in CONTROL_VALUES]
        for number, button in enumerate(buttons, start=1):
            self.console.print(f"   {number}. {button.label}", markup=False, highlight=False)
        if message.buttons:
            controls = [b for b in message.all_buttons() if b.value in CONTROL_VALUES]
            if controls:
                self.console.print(
                    "   (" + "  ".join(f"/{b.value.lstrip('_')} {b.label}" for b in controls) + ")",
                    markup=False,
                    highlight=False,
                    style="dim",
                )
            self.screen = TerminalScreen(buttons, message.prompt)
        self.console.print()

    async def _deliver(self, messages: Sequence[OutgoingMessage]) -> None:
        for outgoing in messages:
            self.show(decode_message(outgoing.payload))
        await self.context.storage.outbox.mark_sent([m.id for m in messages])

    async def run(self, flow_id: str, language: str | None, resume: str | None = None) -> int:
        """Take one interview from start (or where it paused) to its end or the end of input."""
        service = self.context.service
        if resume is None:
            invitation = await self.context.storage.interviews.invite(
                flow_id=flow_id,
                flow_version=service.flow(flow_id).version,
                display_name="Terminal interview",
                service=None,
                language=language,
                expires_at=self.context.clock() + timedelta(days=365),
                actor=Actor.for_operator("terminal"),
                at=self.context.clock(),
            )
            reply = await service.open_invitation(invitation.token, TERMINAL_CHAT)
            interview_id = invitation.interview_id
        else:
            interview_id = resume
            reply = await service.handle(resume, incoming="/start", chat_id=TERMINAL_CHAT)
        await self._deliver(reply.messages)
        while reply.state is None or not reply.state.finished:
            self.console.print("> ", end="", markup=False)
            line = await asyncio.to_thread(self.stdin.readline)
            if line == "":
                reply = await service.handle(
                    interview_id,
                    Command(at=self.context.clock(), control=Control.PAUSE),
                    incoming="(end of input)",
                    chat_id=TERMINAL_CHAT,
                )
                await self._deliver(reply.messages)
                self.console.print(
                    f"End of input: the interview is paused and saved. To carry on, run:\n"
                    f"  exit-interviews chat --resume {interview_id}",
                    markup=False,
                    highlight=False,
                )
                return 0
            if not self.stdin.isatty():
                self.console.print(line.rstrip("\n"), markup=False, highlight=False)
            inp, words = read_input(line, self.screen, self.context.clock())
            reply = await service.handle(interview_id, inp, incoming=words, chat_id=TERMINAL_CHAT)
            await self._deliver(reply.messages)
        self.console.print(
            f"Interview {interview_id} is {reply.state.phase.value}.", markup=False, highlight=False
        )
        return 0
