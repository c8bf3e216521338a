"""Transcripts as documents: printable HTML for an IRO, and Markdown."""

from __future__ import annotations

from bot.documents.templating import render
from bot.documents.view import TranscriptView


def transcript_html(view: TranscriptView) -> str:
    """The printable transcript; everything a person wrote is escaped."""
    return render("transcript.html.j2", view=view)


def transcript_markdown(view: TranscriptView) -> str:
    return render("transcript.md.j2", view=view)
