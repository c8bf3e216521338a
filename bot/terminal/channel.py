"""The terminal channel: the same interview as on Telegram, with numbered buttons.

Works typed or piped (one input a line). At the end of its input it pauses the
interview, says so, and exits normally.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TextIO

from rich.console import Console

from bot.core.answer import Reply
from bot.core.context import AppContext
from bot.core.notices import notice
from bot.core.numbers import whole_number
from bot.core.prefixes import resolve
from flows.inputs import Choice, Command, Control, Input, Start, Text
from flows.outputs import Button, Message
from flows.state import Phase
from flows.text import Language
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


class NotAnAnswerNumber(Exception):
    """A number typed at a question with numbered answers that is none of them: it is
    never sent on as free text, because the person meant a button."""

    def __init__(self, largest: int) -> None:
        super().__init__(largest)
        self.largest = largest


def numbered(message: Message) -> list[Button]:
    """The buttons a person types a number for, answers first: a button that only some
    visits show (such as "Keep my answer" after Back) goes after them, so an answer's
    number is the same every time the question is asked."""
    buttons = [b for b in message.all_buttons() if b.value not in CONTROL_VALUES]
    answers = [b for b in buttons if not b.value.startswith("_")]
    return answers + [b for b in buttons if b.value.startswith("_")]


def read_input(line: str, screen: TerminalScreen, at: datetime) -> tuple[Input, str]:
    """Turn a typed line into an engine input, and the words to keep in the transcript.
    Raises NotAnAnswerNumber for a number that matches no button on screen."""
    typed = line.strip()
    if typed.lower() == "/start":
        return Start(at=at), "/start"
    if typed.lower() in COMMANDS:
        return Command(at=at, control=COMMANDS[typed.lower()]), typed.lower()
    if typed.lower() in BUTTON_COMMANDS:
        value = BUTTON_COMMANDS[typed.lower()]
        return Choice(at=at, value=value, prompt=screen.prompt), typed.lower()
    if screen.buttons and typed.isascii() and typed.isdecimal():
        number = whole_number(typed, largest=len(screen.buttons))
        if number is None:
            raise NotAnAnswerNumber(len(screen.buttons))
        button = screen.buttons[number - 1]
        return Choice(at=at, value=button.value, prompt=screen.prompt), button.label
    return Text(at=at, text=line.rstrip("\n")), line.rstrip("\n")


class LineReader:
    """Typed or piped lines, read on a daemon thread so that Ctrl-C is never stuck behind a
    blocked read; Ctrl-C arrives in the same queue as a line would."""

    INTERRUPTED = "\x03"

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._loop = asyncio.get_running_loop()
        self._lines: asyncio.Queue[str] = asyncio.Queue()
        threading.Thread(target=self._pump, name="terminal-input", daemon=True).start()

    def _pump(self) -> None:
        while True:
            line = self.stream.readline()
            try:
                self._loop.call_soon_threadsafe(self._lines.put_nowait, line)
            except RuntimeError:
                return
            if line == "":
                return

    def interrupt(self) -> None:
        """Called on Ctrl-C: the next read returns INTERRUPTED."""
        self._lines.put_nowait(self.INTERRUPTED)

    async def readline(self) -> str:
        """The next line with its newline, '' at the end of input, or INTERRUPTED."""
        return await self._lines.get()


def carry_on_command(interview_id: str, practice: bool) -> str:
    """A command that resumes this interview, as it can be typed where the person is now."""
    if practice and os.environ.get("MAKELEVEL"):
        return f"make chat RESUME={interview_id}"
    program = sys.argv[0]
    if program.endswith("__main__.py"):
        program = f"{sys.executable} -m bot"
    real = "" if practice else " --real"
    return f"{program} chat --resume {interview_id}{real}"


def choose_a_number(largest: int, language: Language) -> str:
    """What to say when a typed number matches no answer on screen."""
    if language == "cy":
        return f"Teipiwch rif o 1 i {largest}, neu ysgrifennwch eich ateb mewn geiriau."
    return f"Please type a number from 1 to {largest}, or write your answer in words."


def carry_on_later(command: str, language: Language) -> str:
    """After /pause: exactly what to type to carry on later, here or after closing."""
    if language == "cy":
        return f"I barhau nawr, teipiwch unrhyw neges. I barhau'n nes ymlaen, rhedwch:\n  {command}"
    return f"To carry on now, type anything. To carry on later, run:\n  {command}"


def _language(reply: Reply) -> Language:
    """The interview's language, for the terminal's own words."""
    return "cy" if reply.state is not None and reply.state.language == "cy" else "en"


class TerminalChannel:
    """Runs one interview between a console and the service."""

    def __init__(
        self,
        context: AppContext,
        console: Console,
        stdin: TextIO = sys.stdin,
        practice: bool = True,
    ) -> None:
        self.context = context
        self.console = console
        self.stdin = stdin
        self.practice = practice
        self.screen = TerminalScreen([], None)

    def say(self, text: str, style: str = "") -> None:
        """Print words wrapped at word boundaries to the terminal's width (Rich wraps; a
        console that is not a terminal, such as a pipe, keeps each line whole)."""
        self.console.print(text, style=style, markup=False, highlight=False)

    def show(self, message: Message) -> None:
        style = {"concern": "bold yellow", "help": "cyan", "ending": "bold green"}.get(
            message.kind, ""
        )
        self.say(message.text, style)
        buttons = numbered(message)
        for number, button in enumerate(buttons, start=1):
            self.say(f"   {number}. {button.label}")
        if message.buttons:
            controls = [b for b in message.all_buttons() if b.value in CONTROL_VALUES]
            if controls:
                self.say(
                    "   (" + "  ".join(f"/{b.value.lstrip('_')} {b.label}" for b in controls) + ")",
                    "dim",
                )
        if message.buttons or message.prompt is not None:
            self.screen = TerminalScreen(buttons, message.prompt)
        self.console.print()

    async def _deliver(self, messages: Sequence[OutgoingMessage]) -> None:
        for outgoing in messages:
            self.show(outgoing.message or decode_message(outgoing.payload))
        await self.context.storage.outbox.mark_sent([m.id for m in messages])

    async def _start(self, flow_id: str, language: str | None, resume: str | None) -> Reply:
        service = self.context.service
        if resume is not None:
            resume = await resolve(self.context.storage.db, "interview", resume)
            return await service.handle(resume, incoming="/start", chat_id=TERMINAL_CHAT)
        offered = service.flow(flow_id).languages
        if language is not None and language not in offered:
            raise ValueError(
                f"Nid yw'r cyfweliad {flow_id} ar gael yn yr iaith '{language}' / The "
                f"{flow_id} interview is not available in '{language}'. "
                f"Choose --language {' or '.join(offered)}, or leave it out."
            )
        invitation = await self.context.storage.interviews.invite(
            flow_id=flow_id,
            flow_version=service.flow(flow_id).version,
            display_name="Practice interview" if self.practice else "Terminal interview",
            service=None,
            language=language,
            expires_at=self.context.clock() + timedelta(days=365),
            actor=Actor.for_operator("terminal"),
            at=self.context.clock(),
        )
        return await service.open_invitation(invitation.token, TERMINAL_CHAT)

    async def _leave_paused(self, reply: Reply, why: str) -> None:
        """End of input or Ctrl-C: pause (unless already paused), save, say how to carry on."""
        if reply.state is not None and reply.state.phase is not Phase.PAUSED:
            reply = await self.context.service.handle(
                reply.interview_id,
                Command(at=self.context.clock(), control=Control.PAUSE),
                incoming=f"({why})",
                chat_id=TERMINAL_CHAT,
            )
            await self._deliver(reply.messages)
        command = carry_on_command(reply.interview_id, self.practice)
        self.say(notice("terminal_paused", _language(reply), why=why, command=command))

    async def run(self, flow_id: str, language: str | None, resume: str | None = None) -> int:
        """Take one interview from start (or where it paused) to its end, the end of input or
        Ctrl-C, which both pause it."""
        service = self.context.service
        reply = await self._start(flow_id, language, resume)
        interview_id = reply.interview_id
        await self._deliver(reply.messages)
        reader = LineReader(self.stdin)
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGINT, reader.interrupt)
        try:
            while reply.state is None or not reply.state.finished:
                self.console.print("> ", end="", markup=False)
                line = await reader.readline()
                if line in ("", LineReader.INTERRUPTED):
                    self.console.print()
                    key = "terminal_end_of_input" if line == "" else "terminal_ctrl_c"
                    await self._leave_paused(reply, notice(key, _language(reply)))
                    return 0
                if not self.stdin.isatty():
                    self.say(line.rstrip("\n"))
                try:
                    inp, words = read_input(line, self.screen, self.context.clock())
                except NotAnAnswerNumber as wrong:
                    self.say(choose_a_number(wrong.largest, _language(reply)))
                    continue
                reply = await service.handle(
                    interview_id, inp, incoming=words, chat_id=TERMINAL_CHAT
                )
                await self._deliver(reply.messages)
                if reply.state is not None and reply.state.phase is Phase.PAUSED:
                    command = carry_on_command(interview_id, self.practice)
                    self.say(carry_on_later(command, _language(reply)))
        finally:
            loop.remove_signal_handler(signal.SIGINT)
        language = _language(reply)
        where = notice(
            "terminal_where_practice" if self.practice else "terminal_where_real", language
        )
        status = notice(f"status_{reply.state.phase.value}", language)
        self.say(
            notice("terminal_over", language, interview=interview_id, status=status, where=where)
        )
        return 0
