"""The safeguarding detector against the evaluation corpus, and the behaviours it promises:
word forms, text-speak, look-alike letters, negation, idioms, people other than the writer."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest

from benchmarks.concerns import TUNING_SETS, disclosures, ordinary, read_sets
from flows.problems import FlowError
from flows.safeguarding import Category, Severity, Tier, default_detector, load_detector
from flows.safeguarding.rules import read_rule_file

MAX_FALSE_ALARMS = 0.03
MAX_AMBER_ALARMS = 0.10
BY_CATEGORY: dict[str, list[str]] = defaultdict(list)
for _language, _category, _text in disclosures():
    BY_CATEGORY[_category].append(_text)
TUNING_DISCLOSURES, TUNING_ORDINARY = read_sets(TUNING_SETS)
for _item in TUNING_DISCLOSURES:
    BY_CATEGORY[_item.category].append(_item.text)
ALL_ORDINARY = ordinary() + TUNING_ORDINARY


def categories_of(text: str) -> set[str]:
    return {finding.category.value for finding in default_detector().findings(text)}


def test_the_corpus_is_as_large_as_promised() -> None:
    found = disclosures()
    assert len(found) >= 300
    assert sum(1 for language, _, _ in found if language == "cy") >= 60
    assert len(ordinary()) >= 300
    assert set(BY_CATEGORY) >= {category.value for category in Category}
    voices = {(item.category, item.voice) for item in TUNING_DISCLOSURES}
    for category in {item.category for item in TUNING_DISCLOSURES}:
        assert {(category, "young_people"), (category, "carers")} <= voices, category
    assert {item.language for item in TUNING_DISCLOSURES} == {"en", "cy"}


@pytest.mark.parametrize("category", sorted(BY_CATEGORY))
def test_every_disclosure_in_the_corpus_is_caught(category: str) -> None:
    missed = [text for text in BY_CATEGORY[category] if not categories_of(text)]
    assert missed == [], f"{len(missed)} {category} disclosures missed"


def test_few_ordinary_answers_raise_a_concern() -> None:
    answers = ALL_ORDINARY
    tiers = [(text, {f.tier for f in default_detector().findings(text)}) for _, text in answers]
    red = [text for text, found in tiers if Tier.RED in found]
    amber = [text for text, found in tiers if found == {Tier.AMBER}]
    assert len(red) <= MAX_FALSE_ALARMS * len(answers), red
    assert len(amber) <= MAX_AMBER_ALARMS * len(answers), amber


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


@pytest.mark.parametrize(
    "text",
    [
        "I feel like hurting myself",
        "feel like cutting myself",
        "i feel like ending it",
        "dw i'n teimlo fel brifo fy hun",
    ],
)
def test_intent_to_hurt_oneself_is_urgent_self_harm_whatever_the_verb(text: str) -> None:
    first = default_detector().findings(text)[0]
    assert first.category is Category.SUICIDE_SELF_HARM
    assert first.severity is Severity.URGENT and first.tier is Tier.RED


@pytest.mark.parametrize(
    "text",
    [
        "he never raised a hand to me",
        "he has never once raised a hand to me",
        "she works with people who have been hurt",
        "there was bullying but it got sorted",
        "there was some bullying at school but it got sorted quickly",
        "the police came to school to give a talk about knife crime",
        "i used to self harm but i have stopped and im getting help",
        "my carer works for a domestic abuse charity",
    ],
)
def test_negation_the_resolved_past_and_other_peoples_jobs_raise_no_red(text: str) -> None:
    assert Tier.RED not in {f.tier for f in default_detector().findings(text)}


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("my mum calls me a waste of space every day", "emotional_abuse"),
        ("i heard my stepdad strangling my mum", "domestic_abuse"),
        ("the olders sent me to another town to sell", "criminal_exploitation"),
        ("she keeps a knife in her bag for protection", "youth_violence_weapons"),
        ("they are taking her abroad to get cut this summer", "fgm"),
        ("my dad wants me to marry my cousin", "forced_marriage_honour"),
        ("he shares beheading videos in the group chat", "radicalisation"),
        ("the man who brought me here took my passport", "modern_slavery_trafficking"),
        ("he is smoking weed every day to cope", "substance_misuse"),
        ("a night worker comes into my room at night", "allegation_against_staff"),
        ("he threatened to post my pics unless i paid", "online_abuse"),
        ("an older resident made him touch them", "child_on_child"),
        ("they are sending her back to her dad who hit her", "contact_with_risk"),
    ],
)
def test_each_new_category_raises_red_from_words_it_was_not_tuned_on(
    text: str, category: str
) -> None:
    red = {f.category.value for f in default_detector().findings(text) if f.tier is Tier.RED}
    assert category in red


def test_a_rule_file_with_amber_rules_gives_amber_findings(tmp_path: Path) -> None:
    (tmp_path / "en.yaml").write_text(
        "language: en\nrules:\n"
        "  - id: police\n    category: criminal_exploitation\n    tier: amber\n"
        '    patterns: ["police"]\n'
        '  - id: hit\n    category: physical_harm\n    patterns: ["hit+ me"]\n',
        encoding="utf-8",
    )
    detector = load_detector(tmp_path)
    [amber] = detector.findings("the police came round")
    assert amber.tier is Tier.AMBER and amber.category is Category.CRIMINAL_EXPLOITATION
    both = detector.findings("the police came and he hit me")
    assert [f.tier for f in both] == [Tier.RED, Tier.AMBER]


def test_amber_never_outranks_red_in_the_same_category(tmp_path: Path) -> None:
    (tmp_path / "en.yaml").write_text(
        "language: en\nrules:\n"
        "  - id: wide\n    category: physical_harm\n    tier: amber\n"
        '    patterns: ["hurt"]\n'
        '  - id: narrow\n    category: physical_harm\n    patterns: ["hurt me"]\n',
        encoding="utf-8",
    )
    [finding] = load_detector(tmp_path).findings("hurt. he hurt me")
    assert finding.tier is Tier.RED and finding.rule == "narrow"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Honestly, he punches me when he's drunk", "punches me"),
        ("I can't sleep. She h1ts me every night", "h1ts me"),
        ("I’m fine but i wanna die tbh", "wanna die"),
        ("Mae o'n fy nharo i bob nos", "fy nharo"),
    ],
)
def test_a_span_points_at_the_words_that_raised_the_concern(text: str, words: str) -> None:
    finding = default_detector().findings(text)[0]
    assert finding.span is not None
    start, end = finding.span
    assert text[start:end] == words


def test_every_category_has_a_next_step_a_label_and_a_source() -> None:
    for category in Category:
        assert len(category.next_step) > 10 and category.next_step.endswith(".")
        assert category.label and category.source
    assert "LADO" in Category.ALLEGATION_AGAINST_STAFF.next_step
    assert "police" in Category.FGM.next_step and "Prevent" in Category.RADICALISATION.next_step
    assert "National Referral Mechanism" in Category.MODERN_SLAVERY_TRAFFICKING.next_step
    assert "999" in Category.DANGER_NOW.next_step


def test_a_categories_file_missing_a_category_is_refused_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "en.yaml").write_text(
        'language: en\nrules:\n  - id: a\n    category: threats\n    patterns: ["x"]\n',
        encoding="utf-8",
    )
    (tmp_path / "categories.yaml").write_text(
        "categories:\n  threats:\n    severity: serious\n    label: threats\n"
        "    next_step: Check they are safe now.\n    source: WT2023\n",
        encoding="utf-8",
    )
    with pytest.raises(FlowError) as raised:
        load_detector(tmp_path)
    [problem] = raised.value.problems
    assert "categories.yaml:1" in str(problem) and "suicide_self_harm" in str(problem)


def test_a_sealed_set_is_read_by_category_voice_and_language(tmp_path: Path) -> None:
    (tmp_path / "cy.yaml").write_text(
        "language: cy\ndisclosures:\n  fgm:\n    young_people: [un]\n    carers: [dau, tri]\n"
        "ordinary: [pedwar]\n",
        encoding="utf-8",
    )
    found, plain = read_sets(tmp_path)
    assert [(d.language, d.category, d.voice, d.text) for d in found] == [
        ("cy", "fgm", "young_people", "un"),
        ("cy", "fgm", "carers", "dau"),
        ("cy", "fgm", "carers", "tri"),
    ]
    assert plain == [("cy", "pedwar")]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("he tuoched me", "sexual_harm_exploitation"),  # two letters swapped
        ("they r makin me sell fr them", "criminal_exploitation"),  # a dropped g
        ("they tuk my pasport", "modern_slavery_trafficking"),
    ],
)
def test_swapped_letters_and_dropped_gs_are_read_as_the_word(text: str, category: str) -> None:
    assert category in categories_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "i was a bit scared before my first day at college",
        "the fostering team said he might be at risk of failing maths",
        "she came back from hockey covered in bruises and grinning",
        "we did the county lines and modern slavery e learning last year",
        "i have never needed to restrain anyone in ten years",
        "i dont drink, never have",
        "my brother ran off once but came back an hour later and was fine",
        "he plays shooting games online with his cousin",
        "i have a scar on my chin from the trampoline",
        "ges i fy nghicio gan geffyl yn y stablau",
        "mae na ffilm dda ar y teledu heno",
    ],
)
def test_vague_signals_sport_training_and_resolved_pasts_raise_no_red(text: str) -> None:
    assert Tier.RED not in {f.tier for f in default_detector().findings(text)}


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("i get scared sometimes", Tier.AMBER),
        ("i am scared of him", Tier.RED),
        ("she came home with bruises on her arms after contact", Tier.RED),
        ("mae gen i ofn", Tier.AMBER),
        ("mae gen i ofn ohono fe", Tier.RED),
    ],
)
def test_a_bare_fear_or_bruise_is_amber_and_one_with_a_person_or_place_is_red(
    text: str, tier: Tier
) -> None:
    assert {f.tier for f in default_detector().findings(text)} == {tier}


@pytest.mark.parametrize(
    "text",
    [
        "is it normal my aunt says i will be cut in the holidays to be clean",
        "my cousin keeps telling me the west is at war with us",
        "the boss at the car wash has my passport and says i owe him for the journey",
        "i drink vodka on my own in my room",
        "he put her in hospital and mum let him move back in",
        "they send me to towns i dont know with a bag on the train",
        "the night worker keeps snapchatting me at 2am",
        "ma na foi yn dal yn dilyn fi adre o r ysgol",
        "mae hi ar ben y bont ac yn deud sori am bopeth",
        "nath o neud i fi gysgu efo ffrind o",
    ],
)
def test_indicators_from_the_guidance_raise_red_in_words_no_tuning_set_holds(text: str) -> None:
    assert Tier.RED in {f.tier for f in default_detector().findings(text)}


def test_welsh_na_meaning_there_does_not_undo_what_follows() -> None:
    assert "youth_violence_weapons" in categories_of("ma na gyllell yn bag fi")
    assert "youth_violence_weapons" not in categories_of("na, dim cyllell yn bag fi")
