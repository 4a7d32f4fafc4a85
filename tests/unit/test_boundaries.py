"""Only reader/tui/ may import Textual: the CLI and store must stay UI-free."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "reader"


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_outside_tui_imports_textual() -> None:
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "tui" in path.relative_to(PACKAGE).parts:
            continue
        # reader.tui is only reached lazily, from inside a function, by the CLI
        top_level = {n for n in _imports(path) if n.split(".")[0] == "textual"}
        if top_level:
            offenders.append(f"{path.relative_to(PACKAGE)}: {sorted(top_level)}")
    assert offenders == []


def test_the_check_sees_tui_files() -> None:
    """Guard the guard: the walk must find Textual imports where they are."""
    tui_files = list((PACKAGE / "tui").rglob("*.py"))
    assert any("textual" in {n.split(".")[0] for n in _imports(p)} for p in tui_files)
