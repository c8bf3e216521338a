"""Reading flow files: YAML in, a validated Flow out, or every problem with its line."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import ValidationError

from flows.check import check_flow
from flows.help import DEFAULT_HELPLINES, HelpDirectory, load_help_directory
from flows.model import Flow
from flows.problems import FlowError, Problem, YamlPath, read_yaml, validation_problems
from flows.safeguarding import DEFAULT_RULES, Detector
from flows.safeguarding.deferred import deferred_detector

DEFINITIONS = Path(__file__).parent / "definitions"

__all__ = ["DEFINITIONS", "FlowError", "Problem", "flow_files", "load_flow", "load_flows"]


def parse_flow(
    path: Path, directory: HelpDirectory, text: str | None = None
) -> tuple[Flow | None, list[Problem], dict[YamlPath, int]]:
    """Read and validate a flow's structure; the checks module looks at its meaning.
    `text` is the file's text when it comes from elsewhere (a stored older version)."""
    text = path.read_text(encoding="utf-8") if text is None else text
    try:
        data, index = read_yaml(path, text)
    except FlowError as error:
        return None, error.problems, {}
    if not isinstance(data, dict):
        return (
            None,
            [Problem(path, 1, "a flow file must be a mapping with id, title, sections...")],
            index,
        )
    try:
        flow = Flow.model_validate(data)
    except ValidationError as error:
        return None, validation_problems(path, index, error), index
    version = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    contacts = [c for c in (directory.get(i) for i in flow.helplines) if c is not None]
    return flow.model_copy(update={"version": version, "contacts": contacts}), [], index


def rules_folder(flows_folder: Path) -> Path:
    """Where a folder of flows keeps its safeguarding rules (the shipped ones if it has none)."""
    own = flows_folder / "safeguarding"
    return own if own.is_dir() else DEFAULT_RULES


def load_flow(
    path: Path, directory: HelpDirectory | None = None, detector: Detector | None = None
) -> Flow:
    """A flow ready to run, with its folder's safeguarding rules (read when a text is first
    checked; `flows check` reads them at once); FlowError lists everything wrong with it."""
    directory = directory or load_help_directory(DEFAULT_HELPLINES)
    detector = detector or deferred_detector(rules_folder(path.parent))
    flow, problems, index = parse_flow(path, directory)
    if flow is not None:
        problems = check_flow(flow, path, index, directory, detector)
    if problems or flow is None:
        raise FlowError(problems)
    return flow.model_copy(update={"safeguarding": detector, "source": path.read_text("utf-8")})


def flow_from_text(text: str, name: str, directory: HelpDirectory, detector: Detector) -> Flow:
    """A flow from the text of a version kept in the database (an interview runs to its end
    on the version it started on). Checked for structure only: it ran before."""
    flow, problems, _ = parse_flow(Path(name), directory, text)
    if flow is None:
        raise FlowError(problems)
    return flow.model_copy(update={"safeguarding": detector, "source": text})


def flow_files(folder: Path = DEFINITIONS) -> list[Path]:
    """Every flow file in a folder (the helplines file is not a flow)."""
    return sorted(p for p in folder.glob("*.yaml") if p.name != DEFAULT_HELPLINES.name)


def load_flows(
    folder: Path = DEFINITIONS, directory: HelpDirectory | None = None
) -> dict[str, Flow]:
    """All flows in a folder by id; FlowError if any of them is unusable."""
    directory = directory or load_help_directory(DEFAULT_HELPLINES)
    detector = deferred_detector(rules_folder(folder))
    flows: dict[str, Flow] = {}
    problems: list[Problem] = []
    for path in flow_files(folder):
        try:
            flow = load_flow(path, directory, detector)
        except FlowError as error:
            problems.extend(error.problems)
            continue
        flows[flow.id] = flow
    if problems:
        raise FlowError(problems)
    return flows


def ready_safeguarding(flows: dict[str, Flow]) -> None:
    """Read and compile every flow's safeguarding rules now: a server does this before it
    takes an answer, so that a broken rules file stops it at start-up and the first person
    to write is not kept waiting. FlowError lists every problem."""
    for flow in flows.values():
        if flow.safeguarding is not None:
            flow.safeguarding.ready()
