"""Label policy: the palette, the default labels, the keys that tag, the name rule."""

from __future__ import annotations

from reader.models import Label

# Okabe-Ito: told apart with every common colour-vision deficiency.
PALETTE = ["#56B4E9", "#E69F00", "#CC79A7", "#009E73", "#F0E442", "#D55E00", "#0072B2"]
DEFAULT_LABELS = [
    Label("claim", "1", PALETTE[0], "A statement presented as fact, that can be checked", 1),
    Label("opinion", "2", PALETTE[1], "A judgement or view of the writer or a source", 2),
    Label("speculation", "3", PALETTE[2], "A guess about what may happen or be true", 3),
]
LABEL_KEYS = "123456789"  # the keys that tag in the reading pane
LABEL_NAME_MAX = 40


def is_label_name(name: str) -> bool:
    """One word of at most LABEL_NAME_MAX characters."""
    return bool(name) and not any(c.isspace() for c in name) and len(name) <= LABEL_NAME_MAX


def is_color(value: str) -> bool:
    """#rrggbb."""
    if len(value) != 7 or not value.startswith("#"):
        return False
    try:
        int(value[1:], 16)
    except ValueError:
        return False
    return True


def next_color(count: int) -> str:
    """The colour of the label added after `count` others."""
    return PALETTE[count % len(PALETTE)]
