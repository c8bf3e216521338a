"""The safeguarding detector against the evaluation corpus, and the behaviours it promises:
word forms, text-speak, look-alike letters, negation, idioms, people other than the writer."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from benchmarks.concerns import disclosures, ordinary
from flows.problems import FlowError
from flows.safeguarding import Category, Severity, default_detector, load_detector
from flows.safeguarding.rules import read_rule_file

MAX_FALSE_ALARMS = 0.03
BY_CATEGORY: dict[str, list[str]] = defaultdict(list)
for _language, _category, _text in disclosures():
    BY_CATEGORY[_category].append(_text)


def categories_of(text: str) -> set[str]:
    return {finding.category.value for finding in default_detector().findings(text)}


def test_the_corpus_is_as_large_as_promised() -> None:
    found = disclosures()
    assert len(found) >= 300
    assert sum(1 for language, _, _ in found if language == "cy") >= 60
    assert len(ordinary()) >= 300
    assert set(BY_CATEGORY) == {category.value for category in Category}


@pytest.mark.parametrize("category", sorted(BY_CATEGORY))
def test_every_disclosure_in_the_corpus_is_caught(category: str) -> None:
    missed = [text for text in BY_CATEGORY[category] if not categories_of(text)]
    assert missed == [], f"{len(missed)} {category} disclosures missed"


def test_few_ordinary_answers_raise_a_concern() -> None:
    answers = ordinary()
    alarms = [text for _, text in answers if categories_of(text)]
    assert len(alarms) <= MAX_FALSE_ALARMS * len(answers), alarms


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("he punches me", "physical_harm"),
        ("she hitting me every night", "physical_harm"),
        ("staff slapped my brother", "physical_harm"),
        ("i wanna die", "suicide_self_harm"),
        ("i want to DIEEEE", "suicide_self_harm"),
        ("kms", "suicide_self_harm"),
        ("k.i.l.l myself", "suicide_self_harm"),
        ("h1ts me", "physical_harm"),
        ("kіll myself", "suicide_self_harm"),  # the і is Cyrillic
        ("he tuched me", "sexual_harm_exploitation"),
        ("i wont 2 die", "suicide_self_harm"),  # 'wont' before 'to' is 'want'
        ("they wont let me see my dad", "restraint_deprivation"),  # elsewhere 'will not'
        ("they wouldnt stop hitting me", "physical_harm"),
        ("nobody helped me when they hit me", "physical_harm"),
        ("she told me her dad hits her", "physical_harm"),
        ("he has thought about killing himself", "suicide_self_harm"),
    ],
)
def test_word_forms_spellings_and_other_people(text: str, category: str) -> None:
    assert category in categories_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "nobody hurt me",
        "no one ever hit me",
        "i never felt unsafe",
        "i wasnt bullied",
        "i killed it at football",
        "dying to leave",
        "scared of spiders",
        "the food was killer",
        "my mate beat me at fifa",
        "it hit me that i was leaving",
        "we had an anti bullying week",
    ],
)
def test_negations_and_idioms_raise_nothing(text: str) -> None:
    assert categories_of(text) == set()


def test_no_then_a_disclosure_is_not_a_negation() -> None:
    assert "physical_harm" in categories_of("no he hit me")


def test_severity_follows_the_category() -> None:
    urgent = default_detector().findings("i want to kill myself and he hits me")
    assert urgent[0].severity is Severity.URGENT
    assert {f.severity for f in urgent} == {Severity.URGENT, Severity.SERIOUS}


def test_a_finding_holds_no_words_of_the_text() -> None:
    finding = default_detector().findings("he punches me")[0]
    assert "punch" not in repr(finding)


def rule_problems(path: Path, text: str) -> list[str]:
    """What the rule checker says about a rule file holding `text`."""
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FlowError) as raised:
        read_rule_file(path)
    return [str(problem) for problem in raised.value.problems]


def test_rule_files_report_every_problem_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "en.yaml"
    bad.write_text(
        "language: en\n"
        "rules:\n"
        "  - id: one\n"
        "    category: physical_harm\n"
        "    patterns:\n"
        '      - "hit+ {nowhere}"\n'
        '      - "(hit|"\n'
        "  - id: two\n"
        "    category: not_a_category\n"
        "    patterns: [hit]\n",
        encoding="utf-8",
    )
    with pytest.raises(FlowError) as raised:
        read_rule_file(bad)
    assert any("category" in str(problem) for problem in raised.value.problems)
    messages = rule_problems(
        bad,
        "language: en\nrules:\n  - id: one\n    category: physical_harm\n    patterns:\n"
        '      - "hit+ {nowhere}"\n      - "(hit|"\n      - "butt"\n',
    )
    assert f"{bad}:6" in messages[0] and "no list 'nowhere'" in messages[0]
    assert "never closed" in messages[1] and "reads as 'but'" in messages[2]


def test_a_choice_of_sentence_splitting_words_is_refused_not_silently_optional(
    tmp_path: Path,
) -> None:
    rules = tmp_path / "en.yaml"
    messages = rule_problems(
        rules,
        "language: en\nrules:\n  - id: one\n    category: threats\n    patterns:\n"
        '      - "(going to) hurt me (tonight|until)"\n'
        '      - "(going to) hurt me (tonight|later)?"\n'
        '      - "(safe) (and|&) (happy)"\n',
    )
    assert len(messages) == 1, messages
    assert f"{rules}:6" in messages[0] and "may be left out" in messages[0]


def test_the_shipped_rules_load(tmp_path: Path) -> None:
    assert set(default_detector().languages) == {"en", "cy"}
    with pytest.raises(FlowError):
        load_detector(tmp_path)


def test_several_concerns_in_one_text_are_filed_under_the_gravest() -> None:
    findings = default_detector().findings("he touched me and said not to tell")
    assert [f.category.value for f in findings][:2] == [
        "sexual_harm_exploitation",
        "coercion_secrecy",
    ]
    assert default_detector().findings("they call me names and i want to die")[0].category is (
        Category.SUICIDE_SELF_HARM
    )
