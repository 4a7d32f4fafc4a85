"""The bundled sample corpus: five news articles, imported into an empty database."""

from __future__ import annotations

from pathlib import Path


def seeds_dir() -> Path:
    """In a wheel the seeds sit inside the package; in a checkout, beside it."""
    inside = Path(__file__).parent / "seeds"
    if inside.is_dir():
        return inside
    return Path(__file__).parent.parent / "seeds"


def seed_files() -> list[Path]:
    return sorted(p for p in seeds_dir().iterdir() if p.suffix in {".txt", ".md"})
