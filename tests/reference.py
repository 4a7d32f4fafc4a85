"""Agreement figures computed the plain way (one value per code point, every pair
of spans), for tests to hold reader.agreement to."""

from __future__ import annotations

from typing import Any

import krippendorff
import numpy as np

Span = tuple[int, int, str]


def values(spans: list[Span], length: int, label: str | None, rank: dict[str, int]) -> list[Any]:
    """Each code point's value: 1/0 for `label`, else the innermost label or None."""
    out: list[Any] = []
    for at in range(length):
        over = [s for s in spans if s[0] <= at < s[1]]
        if label is not None:
            out.append(int(any(s[2] == label for s in over)))
        elif over:
            out.append(min(over, key=lambda s: (s[1] - s[0], rank[s[2]], s[2]))[2])
        else:
            out.append(None)
    return out


def reference_alpha(a: list[Any], b: list[Any]) -> float | None:
    """The krippendorff package's nominal alpha; None where it is undefined."""
    codes = {v: i for i, v in enumerate(sorted(set(a) | set(b), key=str))}
    data = np.array([[codes[v] for v in a], [codes[v] for v in b]], dtype=float)
    try:
        return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))
    except ValueError:  # "There has to be more than one value in the domain."
        return None


def greedy_overlap(a: list[Span], b: list[Span]) -> int:
    """Matches by largest overlap, one to one, trying every pair."""
    pairs = sorted(
        (-(min(x[1], y[1]) - max(x[0], y[0])), x[:2], y[:2], i, j)
        for i, x in enumerate(a)
        for j, y in enumerate(b)
        if x[2] == y[2] and min(x[1], y[1]) > max(x[0], y[0])
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    for *_, i, j in pairs:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
    return len(used_a)


def exact(a: list[Span], b: list[Span]) -> int:
    rest = list(b)
    count = 0
    for span in a:
        if span in rest:
            rest.remove(span)
            count += 1
    return count
