"""Dependencies point one way: bot -> storage -> flows. flows needs neither Telegram nor SQL."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

BLOCKER = """
import sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in {'telegram', 'aiosqlite', 'sqlite3', 'storage', 'bot'}:
            raise ImportError('flows must not import ' + name)
        return None
sys.meta_path.insert(0, Block())
import flows, flows.engine, flows.check, flows.loader
flows.load_flows()
print('flows imported alone')
"""


def test_flows_runs_without_telegram_sqlite_storage_or_bot() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "flows imported alone" in result.stdout


SQL_START = re.compile(
    r"^\s*(SELECT|INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|PRAGMA|BEGIN|COMMIT|WITH|REPLACE)\s"
)


def sql_strings(path: Path) -> list[str]:
    """Every string constant in a module that reads as an SQL statement."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
        if is_text and SQL_START.match(node.value):
            found.append(node.value)
    return found


def test_only_storage_holds_sql() -> None:
    """lint-imports keeps sqlite out of bot/ and flows/; this catches SQL passed through
    storage's connection from outside it."""
    for package in ("bot", "flows"):
        for path in (ROOT / package).rglob("*.py"):
            assert sql_strings(path) == [], f"{path} holds SQL"


def test_the_sql_detector_finds_sql() -> None:
    assert sql_strings(ROOT / "storage" / "outbox.py")
