"""The README's "Aligned reading" examples are what the commands print on the samples."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from click.testing import CliRunner

from reader.cli import cli
from reader.importing import import_seeds
from reader.store import Store

README = Path(__file__).resolve().parents[2] / "README.md"


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.index("\n## ", start + 1)
    return text[start:end]


def examples(text: str) -> list[tuple[str, list[str]]]:
    """Each `$ reader ...` command of the console blocks and the lines shown after it."""
    found: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                found.append((line[2:], []))
            else:
                found[-1][1].append(line)
    return found


def matches(line: str, printed: str) -> bool:
    """The line as printed, or cut short (ending `  |  …` or `…`) the start of it."""
    if line == printed:
        return True
    cut = next((c for c in ("  |  …", "…") if line.endswith(c)), None)
    return cut is not None and printed.startswith(line[: -len(cut)])


def in_order(lines: list[str], printed: list[str]) -> bool:
    """Every shown line printed, in the order shown (a bare `…` stands for lines
    left out; nothing else may be skipped)."""
    at = 0
    gap = False
    for line in lines:
        if line == "…":
            gap = True
            continue
        found = next(
            (
                i
                for i in range(at, len(printed) if gap else min(at + 1, len(printed)))
                if matches(line, printed[i])
            ),
            None,
        )
        if found is None:
            return False
        at, gap = found + 1, False
    return True


def test_the_aligned_reading_examples_are_real(tmp_path: Path) -> None:
    with Store(tmp_path / "env.db") as store:  # READER_DB (conftest)
        import_seeds(store)
    shown = examples(section("Aligned reading"))
    assert len(shown) >= 3
    for command, lines in shown:
        args = shlex.split(command)
        assert args[0] == "reader"
        result = CliRunner().invoke(cli, args[1:], catch_exceptions=False)
        assert result.exit_code == 0, (command, result.stderr)
        assert in_order(lines, result.stdout.splitlines()), command
