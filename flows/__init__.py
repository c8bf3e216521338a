"""The conversation engine and the interview flows, as data.

Pure: nothing here does I/O beyond reading flow and help files, and nothing here
knows about Telegram or SQL. The shell (`bot`) feeds inputs to `step` and acts on
the outputs and events it returns.
"""

from flows.engine import step
from flows.events import Event
from flows.inputs import Input
from flows.loader import FlowError, load_flow, load_flows
from flows.model import Flow
from flows.outputs import Button, Message, Step
from flows.state import InterviewState, Phase

__all__ = [
    "Button",
    "Event",
    "Flow",
    "FlowError",
    "Input",
    "InterviewState",
    "Message",
    "Phase",
    "Step",
    "load_flow",
    "load_flows",
    "step",
]
