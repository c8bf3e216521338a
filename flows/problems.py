"""What is wrong with a flow file and where: every problem at once, each with its line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

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


def read_yaml(path: Path, text: str | None = None) -> tuple[object, dict[YamlPath, int]]:
    """A YAML file's data and the line of each key; FlowError with the line if it is not
    valid YAML. `text` is the file's text when it comes from elsewhere."""
    text = path.read_text(encoding="utf-8") if text is None else text
    try:
        return yaml.safe_load(text), line_index(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        message = f"not valid YAML ({error}); fix the indentation or quoting"
        raise FlowError([Problem(path, line, message)]) from None


def validation_problems(
    path: Path, index: dict[YamlPath, int], error: ValidationError
) -> list[Problem]:
    """A pydantic refusal of a YAML file as problems, each at its line, so every file the
    engine reads reports its mistakes the same way."""
    return [
        Problem(
            path,
            line_of(index, tuple(e["loc"])),
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}",
        )
        for e in error.errors()
    ]
