"""How well the safeguarding detector does on the evaluation corpus, and how fast.

    python -m benchmarks.concerns [--misses]

Prints recall per category (a missed disclosure is the worst failure this product can
have), the false-alarm rate on ordinary answers, and the median time to check a
500-character answer. --misses lists what was missed and what raised a false alarm.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import yaml

from flows.safeguarding import Detector, load_detector

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "flows" / "safeguarding"


def disclosures() -> list[tuple[str, str, str]]:
    """(language, category, text) for every disclosure in the corpus."""
    data = yaml.safe_load((CORPUS / "disclosures.yaml").read_text(encoding="utf-8"))
    return [
        (language, category, text)
        for language, categories in data.items()
        for category, texts in categories.items()
        for text in texts
    ]


def ordinary() -> list[tuple[str, str]]:
    """(language, text) for every ordinary answer in the corpus."""
    data = yaml.safe_load((CORPUS / "ordinary.yaml").read_text(encoding="utf-8"))
    return [(language, str(text)) for language, texts in data.items() for text in texts]


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
    """Median seconds per check over batches, after a warm-up."""
    detector.findings(text)
    samples = []
    for _ in range(15):
        start = time.perf_counter()
        for _ in range(rounds // 15):
            detector.findings(text)
        samples.append((time.perf_counter() - start) / (rounds // 15))
    return statistics.median(samples)


def main() -> None:
    show_misses = "--misses" in sys.argv
    detector = load_detector()
    caught: Counter[str] = Counter()
    total: Counter[str] = Counter()
    misses = []
    for language, category, text in disclosures():
        total[category] += 1
        total[f"language:{language}"] += 1
        if detector.findings(text):
            caught[category] += 1
            caught[f"language:{language}"] += 1
        else:
            misses.append((category, text))
    print(f"{'category':32} {'caught':>7} {'of':>4} {'recall':>7}")
    for category in sorted(total):
        print(
            f"{category:32} {caught[category]:7} {total[category]:4} "
            f"{100 * caught[category] / total[category]:6.1f}%"
        )
    all_found = sum(caught[c] for c in total if not c.startswith("language:"))
    all_total = sum(total[c] for c in total if not c.startswith("language:"))
    print(f"{'all disclosures':32} {all_found:7} {all_total:4} {100 * all_found / all_total:6.1f}%")
    alarms = []
    plain = ordinary()
    for language, text in plain:
        found = detector.findings(text)
        if found:
            alarms.append((language, text, found[0].category.value))
    by_language = Counter(language for language, _ in plain)
    alarmed = Counter(language for language, _, _ in alarms)
    for language in sorted(by_language):
        print(
            f"false alarms ({language}){'':20} {alarmed[language]:7} {by_language[language]:4} "
            f"{100 * alarmed[language] / by_language[language]:6.1f}%"
        )
    print(
        f"{'false alarms (all)':32} {len(alarms):7} {len(plain):4} "
        f"{100 * len(alarms) / len(plain):6.1f}%"
    )
    typical = time_per_check(detector, TYPICAL_ANSWER)
    worst = time_per_check(detector, near_miss_answer())
    print(f"median time per {len(TYPICAL_ANSWER)}-character typical answer: {typical * 1e6:.0f} µs")
    print(f"median time per 500-character answer of near misses: {worst * 1e6:.0f} µs")
    if show_misses:
        for category, text in misses:
            print(f"MISSED {category}: {text}")
        for language, text, category in alarms:
            print(f"FALSE ALARM {language} {category}: {text}")


if __name__ == "__main__":
    main()
