"""The engine states this process last read or wrote, so the next input need not read
and decrypt its interview again.

Only ever a hint. A step names the sealed bytes its state came from, and the save is
refused (StaleStateError) if the row holds anything else by then, so a change made by
another command or process (an erasure, a key rotation, a stop) is never overwritten:
the caller reads the row again and repeats the step.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from flows.state import InterviewState

KEPT_AT_MOST = 4_096


@dataclass(frozen=True, slots=True)
class KnownState:
    """An interview's engine state, the sealed bytes that hold it in its row, and the
    version of the flow it runs on."""

    state: InterviewState
    sealed: bytes
    flow_version: str


class KnownStates:
    """The newest known state of each recently active interview, the least recently used
    dropped first."""

    def __init__(self, limit: int = KEPT_AT_MOST) -> None:
        self._limit = limit
        self._states: OrderedDict[str, KnownState] = OrderedDict()

    def get(self, interview_id: str) -> KnownState | None:
        known = self._states.get(interview_id)
        if known is not None:
            self._states.move_to_end(interview_id)
        return known

    def remember(self, interview_id: str, known: KnownState) -> None:
        self._states[interview_id] = known
        self._states.move_to_end(interview_id)
        if len(self._states) > self._limit:
            self._states.popitem(last=False)

    def forget(self, interview_id: str) -> None:
        """Drop what is known of an interview: it changed, or its answers were erased."""
        self._states.pop(interview_id, None)
