"""Checks that a flow is sound and kind: structure, reachability, languages and policy.

Reports every problem at once, each with its line and what to do, as goflow's inspector does.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from flows.help import HelpDirectory
from flows.model import Flow, Question
from flows.problems import Problem, YamlPath, line_of
from flows.safeguarding import Detector
from flows.text import Language, pick

MAX_TEXT = 300

PROMISES_OF_SECRECY = (
    "will stay secret",
    "will be kept secret",
    "keep it secret",
    "keep this secret",
    "completely confidential",
    "totally confidential",
    "strictly confidential",
    "no one else will",
    "nobody else will",
    "will not tell anyone",
    "won't tell anyone",
    "cyfrinachol yn llwyr",
)

AUDIENCE_HELPLINES = {
    "young_person": {"childline", "meic"},
    "foster_carer": {"fosterline", "fosterline_wales"},
}


def placeholder_helpline_warnings(
    directory: HelpDirectory, helplines_file: Path | str = "the helplines file"
) -> list[str]:
    """One warning per helpline still holding the shipped placeholder, for `flows check` to
    print and the bot to log at start-up: a person in need must never be shown a line that
    leads nowhere. Pure, so either caller decides where the words go."""
    return [
        f"helplines: '{organisation.id}' still has the shipped placeholder; put your "
        f"council's details in {helplines_file}"
        for organisation in directory.unconfigured()
    ]


def welsh_yes_no_warnings(flow: Flow) -> list[str]:
    """One warning per yes/no question of a Welsh flow that does not say which form its
    Welsh answer takes: without it the buttons fall back to "Ie / Na", which a Welsh
    speaker reads as a translation, not as Welsh. A warning, not an error: the flow still
    runs and stores the same answers."""
    if "cy" not in flow.languages:
        return []
    return [
        f"{flow.id}: '{question.id}' is a yes/no question with no welsh_yes_no; add the "
        "form its Welsh verb takes, e.g. welsh_yes_no: do (Do / Naddo) or oes (Oes / Nac oes)"
        for question in flow.questions()
        if question.kind == "yes_no" and question.welsh_yes_no is None
    ]


def check_flow(
    flow: Flow,
    path: Path,
    index: dict[YamlPath, int],
    directory: HelpDirectory,
    detector: Detector | None = None,
) -> list[Problem]:
    """Every problem with a structurally valid flow; an empty list means it is fit to run."""
    checker = _Checker(flow, path, index)
    checker.identifiers()
    checker.conditions()
    checker.answers()
    checker.languages(detector)
    checker.lengths()
    checker.policy(directory)
    return checker.problems


def _texts(node: object, path: YamlPath) -> Iterator[tuple[YamlPath, dict[str, str]]]:
    """Every piece of per-language text in a flow, with where it sits."""
    if isinstance(node, BaseModel):
        for name in type(node).model_fields:
            if name in {"contacts", "safeguarding", "version", "source"}:
                continue
            yield from _texts(getattr(node, name), (*path, name))
    elif isinstance(node, dict) and node and all(k in {"en", "cy"} for k in node):
        if all(isinstance(v, str) for v in node.values()):
            yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, (*path, str(key)))
    elif isinstance(node, list):
        for position, item in enumerate(node):
            yield from _texts(item, (*path, position))


class _Checker:
    def __init__(self, flow: Flow, path: Path, index: dict[YamlPath, int]) -> None:
        self.flow = flow
        self.path = path
        self.index = index
        self.problems: list[Problem] = []
        self.where: dict[str, YamlPath] = {}
        for s, section in enumerate(flow.sections):
            for q, question in enumerate(section.questions):
                self.where.setdefault(question.id, ("sections", s, "questions", q))

    def report(self, path: YamlPath, message: str) -> None:
        self.problems.append(Problem(self.path, line_of(self.index, path), message))

    def identifiers(self) -> None:
        seen: set[str] = set()
        for s, section in enumerate(self.flow.sections):
            for q, question in enumerate(section.questions):
                if question.id in seen:
                    self.report(
                        ("sections", s, "questions", q, "id"),
                        f"question id '{question.id}' is used twice; give each question "
                        "its own id (ids are kept in storage and exports, so never reuse one)",
                    )
                seen.add(question.id)
        section_ids = [s.id for s in self.flow.sections]
        for s, section_id in enumerate(section_ids):
            if section_ids.index(section_id) != s:
                self.report(("sections", s, "id"), f"section id '{section_id}' is used twice")

    def conditions(self) -> None:
        order = [q.id for q in self.flow.questions()]
        for question in self.flow.questions():
            if question.when is None:
                continue
            path = (*self.where[question.id], "when")
            target = question.when.question
            if target not in order:
                self.report(
                    (*path, "question"),
                    f"'{question.id}' depends on unknown question '{target}'; "
                    "use the id of an earlier question",
                )
                continue
            if order.index(target) >= order.index(question.id):
                self.report(
                    (*path, "question"),
                    f"'{question.id}' can never be reached: it depends on '{target}', "
                    "which comes after it; move it below that question",
                )
                continue
            allowed = self.flow.question(target).answer_values()
            unknown = [a for a in question.when.answers if a not in allowed]
            if unknown:
                self.report(
                    (*path, "answers"),
                    f"'{question.id}' can never be reached on {unknown}: '{target}' "
                    f"has only the answers {allowed}",
                )

    def answers(self) -> None:
        for question in self.flow.questions():
            path = self.where[question.id]
            self._question_shape(question, path)
            allowed = question.answer_values()
            if question.kind == "text":
                if question.concern:
                    self.report(
                        (*path, "concern"),
                        "a text question cannot list concern answers; what people type is "
                        "checked by the safeguarding rules (flows/definitions/safeguarding)",
                    )
                continue
            if question.concern and question.concern_category is None:
                self.report(
                    (*path, "concern"),
                    f"'{question.id}' raises a concern but has no concern_category; add one, "
                    "e.g. concern_category: feeling_unsafe",
                )
            for field, values in (
                ("concern", question.concern),
                ("replies", list(question.replies)),
            ):
                unknown = [v for v in values if v not in allowed]
                if unknown:
                    self.report(
                        (*path, field),
                        f"'{question.id}' {field} names {unknown}, which are not answers "
                        f"to it; use one of {allowed}",
                    )
            if question.required:
                self.report(
                    (*path, "required"),
                    f"'{question.id}' is compulsory; every question must be skippable, "
                    "so remove 'required'",
                )

    def _question_shape(self, question: Question, path: YamlPath) -> None:
        if question.kind in {"choice", "multi"} and len(question.options) < 2:
            self.report(
                (*path, "options"),
                f"'{question.id}' is a {question.kind} question with fewer than two "
                "options; add options or make it yes_no",
            )
        if question.kind not in {"choice", "multi"} and question.options:
            self.report(
                (*path, "options"),
                f"'{question.id}' is {question.kind}, which takes no options; remove "
                "them or change its kind to choice",
            )
        if question.kind == "scale" and question.scale is None:
            self.report((*path, "kind"), f"'{question.id}' is a scale with no 'scale: labels:'")
        ids = [o.id for o in question.options]
        if len(ids) != len(set(ids)):
            self.report((*path, "options"), f"'{question.id}' has two options with the same id")

    def languages(self, detector: Detector | None) -> None:
        for path, text in _texts(self.flow, ()):
            missing = [lang for lang in self.flow.languages if not text.get(lang, "").strip()]
            if missing:
                self.report(
                    path,
                    f"text has no {'/'.join(missing)} version; add it "
                    f"({'.'.join(str(p) for p in path)})",
                )
        if detector is not None:
            for lang in self.flow.languages:
                if lang not in detector.languages:
                    self.report(
                        ("languages",),
                        f"there are no safeguarding rules in '{lang}'; add {lang}.yaml to the "
                        "safeguarding folder beside the flows",
                    )

    def lengths(self) -> None:
        for path, text in _texts(self.flow, ()):
            for lang, words in text.items():
                if len(words) > MAX_TEXT:
                    self.report(
                        path,
                        f"{lang} text is {len(words)} characters, more than one "
                        f"phone screen ({MAX_TEXT}); split it or say it more simply",
                    )

    def policy(self, directory: HelpDirectory) -> None:
        for path, text in _texts(self.flow, ()):
            for words in text.values():
                lowered = words.lower()
                for promise in PROMISES_OF_SECRECY:
                    if promise in lowered:
                        self.report(
                            path,
                            f"'{promise}' promises secrecy; never promise complete "
                            "confidentiality, say who will read the answers instead",
                        )
        if not self.flow.introduction.readers:
            self.report(("introduction", "readers"), "say who will read the answers")
        for position, organisation_id in enumerate(self.flow.helplines):
            if directory.get(organisation_id) is None:
                self.report(
                    ("helplines", position),
                    f"no organisation '{organisation_id}' in the helplines file; add it "
                    "there or use one of its ids",
                )
        wanted = AUDIENCE_HELPLINES[self.flow.audience]
        if not wanted.intersection(self.flow.helplines):
            self.report(
                ("helplines",),
                f"a {self.flow.audience} flow must signpost at least one of "
                f"{sorted(wanted)}; add it to helplines",
            )


SHORT_BUTTONS = 3
SHORT_BUTTON_TITLE = 20
LIST_ROWS = 10
LIST_ROW_TITLE = 24
TICK_ROOM = 2
"""A choose-several answer is always a list row, with a tick or a box and a space before it."""


def fit_warnings(flow: Flow, path: Path, index: dict[YamlPath, int]) -> list[Problem]:
    """Where a flow's answers do not fit channels with short buttons (three, of 20
    characters) and list rows (ten, of 24) and no `short_labels` entry says how to shorten
    them: warnings, since the channel still cuts the words and puts them whole beneath."""
    warnings: list[Problem] = []
    where = _Checker(flow, path, index).where
    for question in flow.questions():
        labels = _labels(question)
        if not labels:
            continue
        at = where[question.id]
        if len(labels) > LIST_ROWS:
            warnings.append(
                Problem(
                    path,
                    line_of(index, at),
                    f"'{question.id}' has {len(labels)} answers; a list row shows only "
                    f"{LIST_ROWS}, so it is split over several lists: offer fewer answers",
                )
            )
        limit = SHORT_BUTTON_TITLE if len(labels) <= SHORT_BUTTONS else LIST_ROW_TITLE
        if question.kind == "multi":
            limit = LIST_ROW_TITLE - TICK_ROOM
        shape = "short button" if limit == SHORT_BUTTON_TITLE else "list row"
        shorter = flow.short_labels.get(question.id, {})
        for value, text in labels:
            short = shorter.get(value)
            for lang in flow.languages:
                words = pick(short, lang) if short else pick(text, lang)
                if len(words) > limit:
                    warnings.append(
                        Problem(
                            path,
                            line_of(index, at),
                            f"'{question.id}' answer '{value}' ({lang}) is {len(words)} "
                            f"characters, more than a {shape} holds ({limit}); add "
                            f"short_labels: {{{question.id}: {{{value}: ...}}}} at the end",
                        )
                    )
    for question_id, values in flow.short_labels.items():
        known = dict(_labels(flow.question(question_id))) if question_id in where else {}
        for value in values:
            if value not in known:
                warnings.append(
                    Problem(
                        path,
                        line_of(index, ("short_labels", question_id)),
                        f"short_labels names '{question_id}' answer '{value}', which the "
                        "flow does not have; use a question id and one of its answers",
                    )
                )
    return warnings


def _labels(question: Question) -> list[tuple[str, dict[Language, str]]]:
    """The answers a flow words itself (Yes / No come from the engine's own short words)."""
    if question.kind == "scale" and question.scale is not None:
        return [(str(n), label) for n, label in enumerate(question.scale.labels, start=1)]
    if question.kind in {"choice", "multi"}:
        return [(option.id, option.text) for option in question.options]
    return []
