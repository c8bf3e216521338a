"""How well the safeguarding detector does, and how fast.

    python -m benchmarks.concerns [--misses]
    python -m benchmarks.concerns --sealed DIR [--misses]

The first form reports on the tuning corpus (tests/flows/safeguarding): recall per category
and per tier (a missed disclosure is the worst failure this product can have), the
false-alarm rate on ordinary answers for red and for amber, and the median time to check a
500-character answer. --sealed reads every *.yaml in DIR, each of this shape:

    language: en
    disclosures:
      <category_key>: {young_people: [...], carers: [...]}
    ordinary: [...]

and prints recall per category, tier, language and voice, and the false-alarm rates. A
sealed set is measured, never tuned on. --misses lists what was missed and what alarmed.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from flows.safeguarding import Detector, Tier, load_detector

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "flows" / "safeguarding"
TUNING_SETS = CORPUS / "tuning"


@dataclass(frozen=True)
class Disclosure:
    """One disclosure to be caught, with where it comes from."""

    language: str
    category: str
    voice: str
    text: str


def disclosures() -> list[tuple[str, str, str]]:
    """(language, category, text) for every disclosure in the original tuning corpus."""
    data = yaml.safe_load((CORPUS / "disclosures.yaml").read_text(encoding="utf-8"))
    return [
        (language, category, text)
        for language, categories in data.items()
        for category, texts in categories.items()
        for text in texts
    ]


def ordinary() -> list[tuple[str, str]]:
    """(language, text) for every ordinary answer in the original tuning corpus."""
    data = yaml.safe_load((CORPUS / "ordinary.yaml").read_text(encoding="utf-8"))
    return [(language, str(text)) for language, texts in data.items() for text in texts]


def read_sets(folder: Path) -> tuple[list[Disclosure], list[tuple[str, str]]]:
    """Every disclosure and ordinary answer in a folder of sets in the sealed shape."""
    found: list[Disclosure] = []
    plain: list[tuple[str, str]] = []
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        language = str(data.get("language", path.stem))
        for category, voices in (data.get("disclosures") or {}).items():
            for voice, texts in (voices or {}).items():
                found.extend(Disclosure(language, category, voice, str(t)) for t in texts or [])
        plain.extend((language, str(text)) for text in data.get("ordinary") or [])
    return found, plain


def tiers_of(detector: Detector, text: str) -> set[Tier]:
    """Which tiers the text raises."""
    return {finding.tier for finding in detector.findings(text)}


TYPICAL_ANSWER = (
    "Living here was mostly good. The staff were kind and my key worker helped me with college "
    "forms and took me to look at flats. I did not like the rules about phones at night and I "
    "think the food could be better, we had pasta a lot. I would have liked more trips out at "
    "weekends and more say in what we did. I got on ok with the others most of the time "
    "although one boy was loud. I will miss the dog and the garden. If I was in charge I would "
    "change the wifi and let us stay up later."
)


def near_miss_answer() -> str:
    """500 characters of ordinary answers packed with negations and idioms, the worst case:
    nearly every rule has its anchor word there and must be checked and set aside."""
    return " ".join(text for _, text in ordinary()[:40])[:500]


def time_per_check(detector: Detector, text: str, rounds: int = 2000) -> float:
    """Median seconds of processor time per check over batches, after a warm-up: processor
    time, so other work on a shared machine does not count against the detector."""
    detector.findings(text)
    samples = []
    for _ in range(15):
        start = time.process_time()
        for _ in range(rounds // 15):
            detector.findings(text)
        samples.append((time.process_time() - start) / (rounds // 15))
    return statistics.median(samples)


def _row(name: str, caught: int, total: int, extra: str = "") -> str:
    rate = 100 * caught / total if total else 0.0
    return f"{name:36} {caught:6} {total:5} {rate:6.1f}% {extra}"


def report(
    detector: Detector,
    found: list[Disclosure],
    plain: list[tuple[str, str]],
    show_misses: bool,
) -> None:
    """Recall per category, tier, language and voice; false alarms for red and amber."""
    red: Counter[str] = Counter()
    any_tier: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses: list[Disclosure] = []
    for item in found:
        tiers = tiers_of(detector, item.text)
        for key in (
            f"category {item.category}",
            f"language {item.language}",
            f"voice {item.voice}",
            "all disclosures",
        ):
            total[key] += 1
            red[key] += Tier.RED in tiers
            any_tier[key] += bool(tiers)
        if Tier.RED not in tiers:
            misses.append(item)
    print(f"{'disclosures':36} {'caught':>6} {'of':>5} {'red+amber':>7}   red alone")
    for key in sorted(total, key=lambda k: (k == "all disclosures", k)):
        print(_row(key, any_tier[key], total[key], f"  {100 * red[key] / total[key]:6.1f}%"))
    red_alarms: list[tuple[str, str]] = []
    amber_alarms: list[tuple[str, str]] = []
    by_language: Counter[str] = Counter(language for language, _ in plain)
    red_by: Counter[str] = Counter()
    amber_by: Counter[str] = Counter()
    for language, text in plain:
        tiers = tiers_of(detector, text)
        if Tier.RED in tiers:
            red_alarms.append((language, text))
            red_by[language] += 1
        elif Tier.AMBER in tiers:
            amber_alarms.append((language, text))
            amber_by[language] += 1
    print(f"{'ordinary answers':36} {'red':>6} {'of':>5} {'rate':>7}   amber (only)")
    for language in sorted(by_language):
        share = 100 * amber_by[language] / by_language[language]
        print(_row(f"false alarms {language}", red_by[language], by_language[language],
                   f"  {amber_by[language]:4} {share:6.1f}%"))  # fmt: skip
    if plain:
        share = 100 * len(amber_alarms) / len(plain)
        print(_row("false alarms (all)", len(red_alarms), len(plain),
                   f"  {len(amber_alarms):4} {share:6.1f}%"))  # fmt: skip
    if show_misses:
        for item in misses:
            tier = "amber only" if tiers_of(detector, item.text) else "MISSED"
            print(f"{tier} {item.language} {item.category} {item.voice}: {item.text}")
        for language, text in red_alarms:
            names = ",".join(f.category.value for f in detector.findings(text))
            print(f"RED ALARM {language} {names}: {text}")
        for language, text in amber_alarms:
            names = ",".join(f.category.value for f in detector.findings(text))
            print(f"amber alarm {language} {names}: {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sealed", type=Path, help="a folder of sets in the sealed shape")
    parser.add_argument("--misses", action="store_true", help="list misses and false alarms")
    args = parser.parse_args()
    detector = load_detector()
    if args.sealed is not None:
        if not args.sealed.is_dir() or not any(args.sealed.glob("*.yaml")):
            parser.error(f"{args.sealed} holds no *.yaml sets; give the folder of the sealed set")
        found, plain = read_sets(args.sealed)
        print(f"{len(found)} disclosures and {len(plain)} ordinary answers in {args.sealed}")
        report(detector, found, plain, args.misses)
        return
    found = [Disclosure(lang, cat, "corpus", text) for lang, cat, text in disclosures()]
    plain = ordinary()
    more_found, more_plain = read_sets(TUNING_SETS)
    report(detector, found + more_found, plain + more_plain, args.misses)
    typical = time_per_check(detector, TYPICAL_ANSWER)
    worst = time_per_check(detector, near_miss_answer())
    print(f"median time per {len(TYPICAL_ANSWER)}-character typical answer: {typical * 1e6:.0f} µs")
    print(f"median time per 500-character answer of near misses: {worst * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
