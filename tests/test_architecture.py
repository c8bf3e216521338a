"""Dependencies point one way: bot -> storage -> flows. flows needs neither Telegram nor SQL."""

from __future__ import annotations

import ast
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


def imports_of(package: str) -> set[str]:
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module.split(".")[0])
    return found


def test_flows_runs_without_telegram_sqlite_storage_or_bot() -> None:
    result = subprocess.run(
        [sys.executable, "-c", BLOCKER], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert "flows imported alone" in result.stdout


def test_storage_never_imports_the_shell() -> None:
    assert not imports_of("storage") & {"bot", "telegram"}


def test_only_storage_writes_sql() -> None:
    for package in ("bot", "flows"):
        for path in (ROOT / package).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            for keyword in ("INSERT INTO", "UPDATE interviews", "DELETE FROM", "CREATE TABLE"):
                assert keyword not in text, f"{path} holds SQL"
