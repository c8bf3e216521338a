"""The web chat channel: the interview in any phone browser, no app needed."""
