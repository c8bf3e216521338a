"""Numbered schema migrations, applied in order by storage.migrate."""
