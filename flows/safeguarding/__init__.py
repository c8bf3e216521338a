"""Finding signs that someone may be at risk in what they write: rules as data, checked
against text that has been folded the same way as the rules."""

from flows.safeguarding.categories import Category, Severity, Tier
from flows.safeguarding.detector import (
    DEFAULT_RULES,
    Detector,
    Finding,
    default_detector,
    load_detector,
)

__all__ = [
    "DEFAULT_RULES",
    "Category",
    "Detector",
    "Finding",
    "Severity",
    "Tier",
    "default_detector",
    "load_detector",
]
