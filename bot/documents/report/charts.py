"""Charts for the monitoring report, drawn with matplotlib and embedded as PNG data."""

from __future__ import annotations

import base64
import io
import unicodedata

import matplotlib

matplotlib.use("Agg")  # draw to files only: the server has no screen
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from bot.documents.report.figures import OVERALL, QuestionTable

COLOURS = [
    "#00703c",
    "#d4351c",
    "#f47738",
    "#b1b4b6",
    "#1d70b8",
    "#4c2c92",
    "#28a197",
    "#f499be",
    "#85994b",
    "#6f72af",
    "#912b88",
    "#505a5f",
]


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _short(text: str, limit: int = 60) -> str:
    """A label that fits, without the emoji the chart's font cannot draw."""
    plain = "".join(ch for ch in text if unicodedata.category(ch) != "So" and ord(ch) < 0x10000)
    plain = " ".join(plain.split())
    return plain if len(plain) <= limit else plain[: limit - 1] + "…"


def stacked_shares(tables: list[QuestionTable], title: str) -> str:
    """One bar per question, split into the shares of each answer, overall.

    Suppressed cells (fewer than 5) are left out of the bar rather than drawn small."""
    height = max(2.5, 0.38 * len(tables) + 1.2)
    figure, axes = plt.subplots(figsize=(9, height))
    labels = [_short(t.text) for t in tables]
    labelled: set[str] = set()
    for position, table in enumerate(tables):
        cells = table.rows[OVERALL]
        left = 0.0
        for index, cell in enumerate(cells):
            if cell.hidden or cell.total_hidden or cell.total == 0:
                continue
            width = 100 * cell.count / cell.total
            column = table.columns[index]
            axes.barh(
                position,
                width,
                left=left,
                color=COLOURS[index % len(COLOURS)],
                label=None if column in labelled else column,
            )
            labelled.add(column)
            left += width
    axes.set_yticks(range(len(tables)), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("% of those who reached the question")
    axes.set_title(title, fontsize=10)
    if labelled:
        axes.legend(
            loc="lower center",
            bbox_to_anchor=(0.5, 1.02 + 0.4 / height),
            ncol=4,
            fontsize=8,
            frameon=False,
        )
    return _png(figure)


def chartable(table: QuestionTable) -> list[tuple[str, int]]:
    """The answers a chart may draw: published, overall, and chosen by someone."""
    if table.too_few:
        return []
    return [
        (label, cell.count)
        for label, cell in zip(table.columns, table.rows[OVERALL], strict=True)
        if not cell.hidden and cell.count > 0
    ]


def ranked_bars(table: QuestionTable) -> str:
    """Answers to a choose-several question, most chosen first, overall."""
    pairs = chartable(table)
    figure, axes = plt.subplots(figsize=(9, max(2.0, 0.35 * len(pairs) + 1)))
    axes.barh(range(len(pairs)), [count for _, count in pairs], color=COLOURS[4])
    axes.set_yticks(range(len(pairs)), [_short(label, 50) for label, _ in pairs], fontsize=8)
    axes.invert_yaxis()
    axes.set_xlabel("people who chose it")
    axes.set_title(_short(table.text, 90), fontsize=10)
    return _png(figure)
