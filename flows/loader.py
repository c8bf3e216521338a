"""Reading flow files: YAML in, a validated Flow out, or every problem with its line."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from flows.help import DEFAULT_HELPLINES, HelpDirectory, load_help_directory
from flows.model import Flow

DEFINITIONS = Path(__file__).parent / "definitions"

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a flow file, where it is, and what to do about it."""

    file: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.message}"


class FlowError(Exception):
    """A flow file cannot be used. Holds every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def line_index(text: str) -> dict[YamlPath, int]:
    """Map each key path in a YAML document to its 1-based line, to point at problems."""
    index: dict[YamlPath, int] = {}

    def walk(node: yaml.Node, path: YamlPath) -> None:
        index[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                child = (*path, str(key.value))
                walk(value, child)
                index[child] = key.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for position, item in enumerate(node.value):
                walk(item, (*path, position))

    root = yaml.compose(text)
    if root is not None:
        walk(root, ())
    return index


def line_of(index: dict[YamlPath, int], path: YamlPath) -> int | None:
    """The line of the deepest part of `path` that the file has."""
    for end in range(len(path), -1, -1):
        if path[:end] in index:
            return index[path[:end]]
    return None


def parse_flow(
    path: Path, directory: HelpDirectory
) -> tuple[Flow | None, list[Problem], dict[YamlPath, int]]:
    """Read and validate a flow's structure; the checks module looks at its meaning."""
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.safe_load(text)
        index = line_index(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        return (
            None,
            [Problem(path, line, f"not valid YAML ({error}); fix the indentation or quoting")],
            {},
        )
    if not isinstance(data, dict):
        return (
            None,
            [Problem(path, 1, "a flow file must be a mapping with id, title, sections...")],
            index,
        )
    try:
        flow = Flow.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(
                path,
                line_of(index, tuple(e["loc"])),
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}",
            )
            for e in error.errors()
        ]
        return None, problems, index
    version = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    contacts = [c for c in (directory.get(i) for i in flow.helplines) if c is not None]
    return flow.model_copy(update={"version": version, "contacts": contacts}), [], index


def load_flow(path: Path, directory: HelpDirectory | None = None) -> Flow:
    """A flow ready to run; FlowError lists everything wrong with it if it is not."""
    from flows.check import check_flow

    directory = directory or load_help_directory(DEFAULT_HELPLINES)
    flow, problems, index = parse_flow(path, directory)
    if flow is not None:
        problems = check_flow(flow, path, index, directory)
    if problems or flow is None:
        raise FlowError(problems)
    return flow


def flow_files(folder: Path = DEFINITIONS) -> list[Path]:
    """Every flow file in a folder (the helplines file is not a flow)."""
    return sorted(p for p in folder.glob("*.yaml") if p.name != DEFAULT_HELPLINES.name)


def load_flows(
    folder: Path = DEFINITIONS, directory: HelpDirectory | None = None
) -> dict[str, Flow]:
    """All flows in a folder by id; FlowError if any of them is unusable."""
    directory = directory or load_help_directory(DEFAULT_HELPLINES)
    flows: dict[str, Flow] = {}
    problems: list[Problem] = []
    for path in flow_files(folder):
        try:
            flow = load_flow(path, directory)
        except FlowError as error:
            problems.extend(error.problems)
            continue
        flows[flow.id] = flow
    if problems:
        raise FlowError(problems)
    return flows
