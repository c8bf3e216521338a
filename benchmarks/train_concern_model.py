"""Train the safeguarding detector's second opinion from the tuning corpus, and measure it.

    python -m benchmarks.train_concern_model [--check | --compare DIR]

Reads the tuning corpus only (tests/flows/safeguarding/disclosures.yaml, ordinary.yaml and
tuning/*.yaml; never the sealed set), trains logistic regression (scikit-learn, a dev
dependency) on the n-grams of flows/safeguarding/model.py, and writes the non-zero weights,
rounded, to flows/definitions/safeguarding/model.json. The product reads that file as data.

Before that it measures by author: each tuning file in turn is held out, the model trained on
the rest and scored on it, because what matters is how it does on people it has not read.
The threshold is set so that at most MAX_FALSE_ALARMS of the held-out ordinary answers pass.
--check only prints the held-out figures and writes nothing. --compare DIR writes nothing
either: it shows, per language, what the rules catch and alarm on alone and with the model,
on a folder of sets in the sealed shape (see benchmarks/concerns.py) it never learnt from.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from flows.safeguarding.model import FORMAT, MODEL_NAME, ConcernModel, gram_counts

if TYPE_CHECKING:
    from scipy.sparse import csr_matrix

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "flows" / "safeguarding"
MODEL_FILE = ROOT / "flows" / "definitions" / "safeguarding" / MODEL_NAME
MAX_FALSE_ALARMS = 0.05
STRENGTH = 4.0
"""Inverse regularisation (scikit-learn's C): chosen on the held-out figures."""
DECIMALS = 3
MAX_WEIGHTS = 20000
"""The strongest weights kept: the file stays small and the held-out figures barely move."""
ORIGINAL = "disclosures.yaml + ordinary.yaml"


@dataclass(frozen=True)
class Author:
    """One file of the corpus, written by one author or batch: held out together."""

    name: str
    disclosures: list[str]
    ordinary: list[str]


def corpus_files() -> list[Path]:
    """Every file the model learns from, in a fixed order."""
    return [
        CORPUS / "disclosures.yaml",
        CORPUS / "ordinary.yaml",
        *sorted((CORPUS / "tuning").glob("*.yaml")),
    ]


def corpus_digest() -> str:
    """A fingerprint of the corpus, kept in the model file so a test notices a model that
    was not retrained after the corpus changed."""
    digest = hashlib.sha256()
    for path in corpus_files():
        digest.update(path.relative_to(CORPUS).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def authors() -> list[Author]:
    """The corpus, one entry per file (the original corpus counts as one author)."""
    found = yaml.safe_load((CORPUS / "disclosures.yaml").read_text(encoding="utf-8"))
    plain = yaml.safe_load((CORPUS / "ordinary.yaml").read_text(encoding="utf-8"))
    result = [
        Author(
            ORIGINAL,
            [str(t) for cats in found.values() for texts in cats.values() for t in texts],
            [str(t) for texts in plain.values() for t in texts],
        )
    ]
    for path in sorted((CORPUS / "tuning").glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        texts = [
            str(text)
            for voices in (data.get("disclosures") or {}).values()
            for group in (voices or {}).values()
            for text in group or []
        ]
        result.append(Author(path.name, texts, [str(t) for t in data.get("ordinary") or []]))
    return result


def _matrix(texts: list[str], vocabulary: dict[str, int]) -> csr_matrix:
    """Each text as the model sees it: its known n-grams, each count/sqrt(all its counts)."""
    from scipy.sparse import csr_matrix

    rows, cols, values = [], [], []
    for row, text in enumerate(texts):
        counts = gram_counts(text)
        scale = 1.0 / math.sqrt(sum(counts.values())) if counts else 0.0
        for gram, count in counts.items():
            column = vocabulary.get(gram)
            if column is not None:
                rows.append(row)
                cols.append(column)
                values.append(count * scale)
    return csr_matrix((values, (rows, cols)), shape=(len(texts), len(vocabulary)))


def train(found: list[str], plain: list[str], threshold: float = 0.5) -> ConcernModel:
    """Logistic regression on the n-grams, weights rounded and zeros dropped."""
    from sklearn.linear_model import LogisticRegression

    texts = found + plain
    vocabulary: dict[str, int] = {}
    for text in texts:
        for gram in sorted(gram_counts(text)):
            vocabulary.setdefault(gram, len(vocabulary))
    labels = [1] * len(found) + [0] * len(plain)
    fitted = LogisticRegression(C=STRENGTH, class_weight="balanced", solver="liblinear")
    fitted.fit(_matrix(texts, vocabulary), labels)
    coefficients = fitted.coef_[0]
    strongest = sorted(vocabulary.items(), key=lambda item: -abs(coefficients[item[1]]))
    weights = {
        gram: round(float(coefficients[column]), DECIMALS)
        for gram, column in sorted(strongest[:MAX_WEIGHTS])
        if round(float(coefficients[column]), DECIMALS) != 0.0
    }
    return ConcernModel(round(float(fitted.intercept_[0]), DECIMALS), weights, threshold, "")


def held_out(everyone: list[Author]) -> list[tuple[Author, list[float], list[float]]]:
    """Each author's scores from a model trained on everyone else."""
    results = []
    for author in everyone:
        rest = [other for other in everyone if other is not author]
        model = train(
            [t for other in rest for t in other.disclosures],
            [t for other in rest for t in other.ordinary],
        )
        results.append(
            (
                author,
                [model.score(t) for t in author.disclosures],
                [model.score(t) for t in author.ordinary],
            )
        )
    return results


def choose_threshold(plain_scores: list[float]) -> float:
    """The lowest threshold at which at most MAX_FALSE_ALARMS of held-out ordinary answers
    pass: as wide a net as the duty officer's reading time allows."""
    ranked = sorted(plain_scores, reverse=True)
    allowed = math.floor(MAX_FALSE_ALARMS * len(ranked))
    return round(ranked[allowed] + 1e-4, 4) if allowed < len(ranked) else 0.5


def figures(results: list[tuple[Author, list[float], list[float]]], threshold: float) -> str:
    """The held-out recall and false-alarm rate per author, as a table."""
    lines = [f"{'held out':34} {'recall':>14} {'false alarms':>14}"]
    caught = total = alarms = plain = 0
    for author, found, ordinary in results:
        hit = sum(score >= threshold for score in found)
        bad = sum(score >= threshold for score in ordinary)
        caught, total, alarms, plain = (
            caught + hit,
            total + len(found),
            alarms + bad,
            plain + len(ordinary),
        )
        lines.append(f"{author.name:34} {_rate(hit, len(found))} {_rate(bad, len(ordinary))}")
    lines.append(f"{'all':34} {_rate(caught, total)} {_rate(alarms, plain)}")
    return "\n".join(lines)


def _rate(part: int, whole: int) -> str:
    share = f"{100 * part / whole:5.1f}%" if whole else "    -"
    return f"{part:3}/{whole:3} {share}"


def compare(folder: Path) -> None:
    """Whether the model earns its place on sets it never saw (the sealed set, measured once):
    per language, disclosures caught at any tier and ordinary answers raising anything, by
    the rules alone and by the rules with the model."""
    from benchmarks.concerns import read_sets
    from flows.safeguarding import load_detector

    with_model = load_detector()
    rules_alone = copy.copy(with_model)
    rules_alone.model = None
    found, plain = read_sets(folder)
    print(
        f"{'':18} {'caught, rules':>16} {'with model':>16}   {'alarms, rules':>16} {'with model':>16}"
    )
    for language in sorted({item.language for item in found} | {lang for lang, _ in plain}):
        texts = [item.text for item in found if item.language == language]
        answers = [text for lang, text in plain if lang == language]
        row = [
            _rate(sum(bool(detector.findings(text)) for text in group), len(group))
            for group in (texts, answers)
            for detector in (rules_alone, with_model)
        ]
        print(f"{language:18} {row[0]:>16} {row[1]:>16}   {row[2]:>16} {row[3]:>16}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true", help="print held-out figures only")
    parser.add_argument("--compare", type=Path, help="a folder of sets in the sealed shape")
    args = parser.parse_args()
    if args.compare is not None:
        if not args.compare.is_dir() or not any(args.compare.glob("*.yaml")):
            parser.error(f"{args.compare} holds no *.yaml sets; give a folder of sets")
        compare(args.compare)
        return
    everyone = authors()
    results = held_out(everyone)
    threshold = choose_threshold([s for _, _, plain in results for s in plain])
    print(f"threshold {threshold} (at most {MAX_FALSE_ALARMS:.0%} of held-out ordinary answers)")
    print(figures(results, threshold))
    if args.check:
        return
    model = train(
        [t for author in everyone for t in author.disclosures],
        [t for author in everyone for t in author.ordinary],
    )
    document = {
        "format": FORMAT,
        "about": "Second opinion for the safeguarding rules; raises amber only. Written by "
        "benchmarks/train_concern_model.py from the tuning corpus; do not edit by hand.",
        "corpus_sha256": corpus_digest(),
        "threshold": threshold,
        "held_out": figures(results, threshold).splitlines(),
        "bias": model.bias,
        "weights": model.weights,
    }
    MODEL_FILE.write_text(
        json.dumps(document, ensure_ascii=False, indent=0, separators=(",", ":")) + "\n", "utf-8"
    )
    print(f"{len(model.weights)} weights, {MODEL_FILE.stat().st_size // 1024} KB: {MODEL_FILE}")


if __name__ == "__main__":
    main()
