"""docs/architecture.md's layer diagram names every module and package of reader/."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def diagram_words() -> set[str]:
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = page.split("```", 2)[1]
    return set(re.findall(r"[a-z0-9_]+", block))


def test_every_module_is_in_the_diagram() -> None:
    words = diagram_words()
    modules = {
        p.stem
        for p in (ROOT / "reader").rglob("*.py")
        if p.stem != "__init__" and "__pycache__" not in p.parts
    }
    packages = {p.parent.name for p in (ROOT / "reader").rglob("__init__.py")}
    missing = sorted((modules | packages) - words - {"reader"})
    assert missing == [], f"not in docs/architecture.md: {missing}"
