"""The trained second opinion: it may add an amber where the rules find nothing, never a red,
never changes what the rules found, and detection works without it."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path

import pytest

from benchmarks.train_concern_model import corpus_digest
from flows.problems import FlowError
from flows.safeguarding import DEFAULT_RULES, Category, Tier, default_detector, load_detector
from flows.safeguarding.model import FORMAT, MODEL_NAME, gram_counts, read_model

SHIPPED = DEFAULT_RULES / MODEL_NAME
# Grooming described only by behaviour: no rule word, but the model has learnt the pattern.
BEHAVIOUR_ONLY = "he said i was his special girl"
# An invented word no rule will ever hold, so only a test model can raise it.
INVENTED = "it was all zorbled again at night"


@pytest.fixture
def rules_with(tmp_path: Path) -> Path:
    """The shipped rules in a folder of the test's own, without the shipped model."""
    for path in DEFAULT_RULES.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def write_model(folder: Path, weights: dict[str, float], bias: float = -3.0) -> None:
    document = {
        "format": FORMAT,
        "corpus_sha256": "test",
        "threshold": 0.6,
        "bias": bias,
        "weights": weights,
    }
    (folder / MODEL_NAME).write_text(json.dumps(document), encoding="utf-8")


def test_the_shipped_model_loads_and_is_small() -> None:
    model = read_model(SHIPPED)
    assert model is not None
    assert 0.5 <= model.threshold < 1.0
    assert len(model.weights) > 1000
    assert SHIPPED.stat().st_size < 500_000
    assert default_detector().model is not None


def test_the_shipped_model_was_trained_from_the_committed_corpus() -> None:
    model = read_model(SHIPPED)
    assert model is not None
    assert model.corpus_sha256 == corpus_digest(), (
        "the tuning corpus changed since the model was trained: run "
        "`python -m benchmarks.train_concern_model` and commit model.json"
    )


def test_the_shipped_model_tells_a_disclosure_from_an_ordinary_answer() -> None:
    model = read_model(SHIPPED)
    assert model is not None
    assert model.concerned(BEHAVIOUR_ONLY)
    assert not model.concerned("i liked my room and the staff were kind")
    assert default_detector().findings(BEHAVIOUR_ONLY) != []


def test_the_quick_score_is_the_sum_the_model_was_trained_on() -> None:
    model = read_model(SHIPPED)
    assert model is not None
    for text in (BEHAVIOUR_ONLY, "Dw i'n hoffi'r staff, roedd hi'n iawn yma.", "ok ok ok"):
        counts = gram_counts(text)
        total = sum(n * model.weights.get(gram, 0.0) for gram, n in counts.items())
        raw = model.bias + total / math.sqrt(sum(counts.values()))
        assert model.score(text) == pytest.approx(1 / (1 + math.exp(-raw)))


def test_the_model_raises_amber_only_where_the_rules_find_nothing(rules_with: Path) -> None:
    without = load_detector(rules_with)
    assert without.findings(INVENTED) == []
    write_model(rules_with, {"zorbled": 40.0, "hits": 40.0, "kind": -40.0})
    detector = load_detector(rules_with)

    [finding] = detector.findings(INVENTED)
    assert (finding.tier, finding.rule) == (Tier.AMBER, "model")
    assert finding.category is Category.FEELING_UNSAFE
    assert finding.span is not None
    assert INVENTED[finding.span[0] : finding.span[1]] == "zorbled"
    assert detector.findings("the staff were kind") == []


def test_the_model_never_raises_red_nor_changes_what_the_rules_found(rules_with: Path) -> None:
    red = "my dad hits me"
    before = load_detector(rules_with).findings(red)
    assert Tier.RED in {finding.tier for finding in before}
    write_model(rules_with, {"hits": 40.0, "dad": 40.0}, bias=5.0)
    after = load_detector(rules_with).findings(red)
    assert after == before
    seen = [
        f
        for text in (INVENTED, "anything at all")
        for f in load_detector(rules_with).findings(text)
    ]
    assert [(f.rule, f.tier) for f in seen] == [("model", Tier.AMBER)] * 2


def test_detection_works_without_the_model_file(rules_with: Path) -> None:
    detector = load_detector(rules_with)
    assert detector.model is None
    assert Tier.RED in {f.tier for f in detector.findings("i want to kill myself")}
    assert all(finding.rule != "model" for finding in detector.findings(BEHAVIOUR_ONLY))


def test_a_broken_model_file_is_refused_with_what_to_do(rules_with: Path) -> None:
    (rules_with / MODEL_NAME).write_text('{"format": "something else"}', encoding="utf-8")
    with pytest.raises(FlowError, match="train_concern_model"):
        load_detector(rules_with)
