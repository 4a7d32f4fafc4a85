"""Agreement figures: hand-worked examples, published ones, and the `krippendorff`
package on random cases, all at code-point level."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.agreement import (
    Document,
    compute,
    covered,
    cross,
    exact_matches,
    innermost,
    nominal_alpha,
    overlap_matches,
    unitizing_disagreements,
)
from reader.cli import cli
from reader.store import Store
from tests.factories import add_article
from tests.reference import exact, greedy_overlap, reference_alpha, values

LABELS = ["claim", "opinion", "speculation"]
RANK = {label: i for i, label in enumerate(LABELS)}


# -- hand-worked ---------------------------------------------------------------


def test_nominal_alpha_by_hand() -> None:
    # units (a, b): (0,0) (0,0) (1,1) (1,0): n = 8, n_0 = 5, n_1 = 3,
    # alpha = 1 - (n - 1) * 2 / (64 - 25 - 9) = 1 - 14/30 = 8/15
    assert nominal_alpha({(0, 0): 2, (1, 1): 1, (1, 0): 1}) == pytest.approx(8 / 15, abs=1e-15)


def test_char_alpha_by_hand() -> None:
    # 10 code points; a covers 0-5, b covers 0-4: (1,1) x4, (1,0) x1, (0,0) x5
    # n = 20, n_1 = 9, n_0 = 11, alpha = 1 - 19 * 2 / (400 - 81 - 121) = 160/198
    docs = {"x": Document(10, {"ana": [(0, 5, "claim")], "ben": [(0, 4, "claim")]})}
    row = compute(docs, ["claim"]).rows[0]
    assert row.char_alpha == pytest.approx(160 / 198, abs=1e-15)
    assert (row.f1_exact, row.f1_overlap, row.n_a, row.n_b) == (0.0, 1.0, 1, 1)


def test_krippendorff_1995_example_a_digitized() -> None:
    # Krippendorff (1995: 57), example A, per unit of the continuum: alpha 0.329
    bertha = [(2, 10, "claim"), (14, 20, "claim")]
    bill = [(4, 8, "claim"), (15, 17, "claim")]
    row = compute({"x": Document(24, {"bertha": bertha, "bill": bill})}, ["claim"]).rows[0]
    assert row.char_alpha == pytest.approx(0.329, abs=0.001)


def test_innermost_label_and_tie_break() -> None:
    spans = [(0, 10, "claim"), (2, 5, "opinion"), (12, 16, "speculation"), (12, 16, "claim")]
    assert innermost(spans, RANK) == [
        (0, 2, "claim"),
        (2, 5, "opinion"),
        (5, 10, "claim"),
        (12, 16, "claim"),  # equal lengths: the label first in the label order
    ]


def test_runs_and_cross_counts() -> None:
    assert covered([(5, 8, "x"), (0, 3, "x"), (2, 4, "x"), (8, 9, "x")]) == [(0, 4, 1), (5, 9, 1)]
    counts = cross([(0, 4, 1)], [(2, 6, 1)], 10)
    assert counts == {(1, None): 2, (1, 1): 2, (None, 1): 2, (None, None): 4}


def test_f1_exact_and_overlap_one_to_one() -> None:
    a = [(0, 5, "claim"), (10, 15, "claim")]
    b = [(0, 5, "claim"), (10, 15, "opinion")]
    assert exact_matches(a, b) == 1
    # the largest overlap wins: a's 0-10 pairs with b's 5-10, b's 0-3 stays alone
    assert overlap_matches([(0, 10, "claim")], [(0, 3, "claim"), (5, 10, "claim")]) == [(0, 1)]
    # one to one: two of b on one of a make one match
    assert len(overlap_matches([(0, 10, "claim")], [(0, 10, "claim"), (2, 8, "claim")])) == 1
    # duplicates pair one to one too
    assert exact_matches([(0, 5, "claim")] * 2, [(0, 5, "claim")]) == 1


def test_undefined_is_none() -> None:
    # both cover everything with one label: no variation
    docs = {"x": Document(6, {"ana": [(0, 6, "claim")], "ben": [(0, 6, "claim")]})}
    rows = compute(docs, ["claim", "opinion"]).rows
    assert rows[0].char_alpha is None and rows[0].f1_exact == 1.0
    assert rows[1].label == "opinion" and rows[1].char_alpha is None
    assert rows[1].f1_exact is None and rows[1].f1_overlap is None
    assert rows[1].alpha_u is None and (rows[1].n_a, rows[1].n_b) == (0, 0)
    # no article in common: no units at all
    docs = {
        "x": Document(6, {"ana": [(0, 2, "claim")]}),
        "y": Document(6, {"ben": [(0, 2, "claim")]}),
    }
    overall = compute(docs, ["claim"]).rows[-1]
    assert overall.label is None and overall.char_alpha is None
    assert (overall.n_a, overall.n_b, overall.articles) == (0, 0, 0)


def test_units_are_articles_both_annotated() -> None:
    # y was annotated by ana only: its code points are no units of the pair
    docs = {
        "x": Document(10, {"ana": [(0, 5, "claim")], "ben": [(0, 4, "claim")]}),
        "y": Document(1000, {"ana": [(0, 900, "claim")]}),
    }
    row = compute(docs, ["claim"]).rows[0]
    assert row.char_alpha == pytest.approx(160 / 198) and (row.n_a, row.n_b) == (1, 1)


# -- u-alpha: published figures ------------------------------------------------


def test_alpha_u_small_example() -> None:
    # DKPro Statistics' UnitizingAgreementTest: r0 -11111111-, r1 --1-1-1---
    d_o, d_e = unitizing_disagreements(
        [[(1, 9, "c")]], [[(2, 3, "c"), (4, 5, "c"), (6, 7, "c")]], [10]
    )
    assert float(d_o) == pytest.approx(0.9100, abs=1e-4)
    assert float(d_e) == pytest.approx(0.5351, abs=1e-4)
    assert float(1 - d_o / d_e) == pytest.approx(-0.7003, abs=1e-4)


def _example_1995(stretch: float) -> dict[str, tuple[list[Any], list[Any], int]]:
    """Krippendorff (1995: 57): four pairs of coders, (offset, length) of each unit."""
    units = {
        "A": ([(2, 8), (14, 6)], [(4, 4), (15, 2)]),
        "B": ([(0, 18)], [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)]),
        "C": ([(2, 6), (10, 2), (14, 4), (20, 2)], [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)]),
        "D": ([(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)],
              [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)]),
    }  # fmt: skip

    def spans(pairs: list[tuple[int, int]], name: str) -> list[Any]:
        return [(int(o * stretch), int(o * stretch) + int(n * stretch), name) for o, n in pairs]

    return {k: (spans(x, k), spans(y, k), int(24 * stretch)) for k, (x, y) in units.items()}


def test_alpha_u_krippendorff_1995_observed() -> None:
    expected = {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}
    for name, (x, y, length) in _example_1995(1).items():
        d_o, _ = unitizing_disagreements([x], [y], [length])
        assert float(d_o) == pytest.approx(expected[name], abs=1e-4), name


def test_alpha_u_krippendorff_1995_expected_and_alpha() -> None:
    x, y, length = _example_1995(0.5)["C"]
    assert float(unitizing_disagreements([x], [y], [length])[1]) == pytest.approx(0.05494, abs=1e-5)
    # near the continuous limit (DKPro's figures, within its tolerance of 0.02)
    figures = {"A": 0.553, "B": -0.926, "C": 0.679, "D": 0.066}
    for name, (x, y, length) in _example_1995(50_000).items():
        d_o, d_e = unitizing_disagreements([x], [y], [length])
        assert float(1 - d_o / d_e) == pytest.approx(figures[name], abs=0.02), name


def naive_unitizing(
    x: list[tuple[int, int]], y: list[tuple[int, int]], length: int
) -> tuple[Fraction, Fraction]:
    """u-alpha's D_o and D_e straight from the definitions: every pair of segments,
    every unit against every gap. (One article; x and y do not overlap themselves.)"""

    def tiling(units: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
        cuts = sorted({0, length, *(p for u in units for p in u)})
        return [(lo, hi, (lo, hi) in units) for lo, hi in itertools.pairwise(cuts)]

    tx, ty = tiling(x), tiling(y)
    delta = 0
    for g, h in [(g, h) for g in tx for h in ty] + [(h, g) for g in tx for h in ty]:
        if min(g[1], h[1]) <= max(g[0], h[0]):
            continue  # no overlap
        if g[2] and h[2]:
            delta += (g[0] - h[0]) ** 2 + (g[1] - h[1]) ** 2
        elif g[2] and h[0] <= g[0] and g[1] <= h[1]:  # a unit in the other's gap
            delta += (g[1] - g[0]) ** 2
        elif h[2] and g[0] <= h[0] and h[1] <= g[1]:  # a gap around the other's unit
            delta += (h[1] - h[0]) ** 2
    d_o = Fraction(delta, 2 * length * length)
    units = [hi - lo for lo, hi, unit in tx + ty if unit]
    gaps = [hi - lo for lo, hi, unit in tx + ty if not unit]
    if not units:
        return Fraction(0), Fraction(0)
    total = Fraction(0)
    for n in units:
        total += Fraction((len(units) - 1) * (2 * n**3 - 3 * n**2 + n), 3)
        total += n * n * sum(g - n + 1 for g in gaps if g >= n)
    d_e = (
        Fraction(2, length)
        * total
        / (2 * length * (2 * length - 1) - sum(n * (n - 1) for n in units))
    )
    return d_o, d_e


# -- random cases --------------------------------------------------------------


@st.composite
def two_annotators(draw: st.DrawFn) -> tuple[list[int], list[list[Any]], list[list[Any]]]:
    """Articles (their lengths) and each annotator's spans in each."""
    lengths = draw(st.lists(st.integers(1, 40), min_size=1, max_size=3))

    def spans(length: int) -> list[tuple[int, int, str]]:
        drawn = draw(
            st.lists(
                st.tuples(
                    st.integers(0, length - 1), st.integers(1, length), st.sampled_from(LABELS)
                ),
                min_size=1,
                max_size=6,
            )
        )
        return [(min(s, e - 1), max(s + 1, e), label) for s, e, label in drawn]

    return lengths, [spans(n) for n in lengths], [spans(n) for n in lengths]


@settings(max_examples=150, deadline=None)
@given(two_annotators())
def test_char_alpha_equals_the_krippendorff_package(case: Any) -> None:
    lengths, mine, theirs = case
    docs = {
        f"art{i}": Document(n, {"ana": x, "ben": y})
        for i, (n, x, y) in enumerate(zip(lengths, mine, theirs, strict=True))
    }
    rows = compute(docs, LABELS).rows
    for row in rows:
        a = [v for n, x in zip(lengths, mine, strict=True) for v in values(x, n, row.label, RANK)]
        b = [v for n, y in zip(lengths, theirs, strict=True) for v in values(y, n, row.label, RANK)]
        expected = reference_alpha(a, b)
        if expected is None:
            assert row.char_alpha is None, row
        else:
            assert row.char_alpha == pytest.approx(expected, abs=1e-9), row


@settings(max_examples=150, deadline=None)
@given(two_annotators())
def test_f1_matches_equal_trying_every_pair(case: Any) -> None:
    _, mine, theirs = case
    for x, y in zip(mine, theirs, strict=True):
        assert len(overlap_matches(x, y)) == greedy_overlap(x, y)
        assert exact_matches(x, y) == exact(x, y)


@settings(max_examples=150, deadline=None)
@given(two_annotators())
def test_alpha_u_equals_the_definition(case: Any) -> None:
    lengths, mine, theirs = case
    n, x, y = lengths[0], mine[0], theirs[0]
    for label in LABELS:
        xs, ys = [s for s in x if s[2] == label], [s for s in y if s[2] == label]
        got = unitizing_disagreements([xs], [ys], [n])
        assert got == naive_unitizing(joined(xs), joined(ys), n)


def joined(spans: list[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """Overlapping spans as one unit; touching ones stay two."""
    out: list[tuple[int, int]] = []
    for start, end, _ in sorted(spans):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out


# -- the command -----------------------------------------------------------------


def test_agree_json_shape_exactly(store: Store, db_path: Path) -> None:
    article = add_article(store, "Microsoft said the deal is big. It is, said OpenAI. " * 3)
    store.add_annotation(article, 0, 31, "claim", "ana")
    store.add_annotation(article, 0, 31, "claim", "ben")
    store.add_annotation(article, 32, 50, "opinion", "ben")
    store.add_annotation(article, 60, 70, "opinion", "cleo")
    result = CliRunner().invoke(cli, ["--db", str(db_path), "agree", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["annotators", "pairs"]
    assert data["annotators"] == ["ana", "ben", "cleo"]
    keys = ["a", "b", "label", "char_alpha", "f1_exact", "f1_overlap", "n_a", "n_b"]
    assert all(list(row) == keys for row in data["pairs"])
    pairs = [(r["a"], r["b"], r["label"]) for r in data["pairs"]]
    assert pairs == [
        (a, b, label)
        for a, b in [("ana", "ben"), ("ana", "cleo"), ("ben", "cleo")]
        for label in [*LABELS, None]
    ]
    claim = data["pairs"][0]
    assert (claim["f1_exact"], claim["n_a"], claim["n_b"]) == (1.0, 1, 1)
    assert isinstance(claim["char_alpha"], float)
    assert data["pairs"][2]["char_alpha"] is None  # speculation: nobody, no variation


def test_agree_filters_and_errors(store: Store, db_path: Path) -> None:
    article = add_article(store, "One claim here. Another one there.")
    store.add_annotation(article, 0, 15, "claim", "ana")
    store.add_annotation(article, 0, 10, "claim", "ben")
    run = lambda *args: CliRunner().invoke(cli, ["--db", str(db_path), "agree", *args])  # noqa: E731
    data = json.loads(run("--json", "--label", "claim", "--article", article.id).stdout)
    assert [r["label"] for r in data["pairs"]] == ["claim", None]
    table = run().stdout
    assert "ana and ben: 1 article annotated by both" in table and "alpha_u" in table
    for args, needle in [
        (["--label", "nope"], "no label named"),
        (["--annotator", "ana"], "two annotators"),
        (["--annotator", "zed", "--annotator", "ana"], "no annotations by 'zed'"),
    ]:
        result = run(*args)
        assert result.exit_code == 1 and needle in result.stderr, (args, result.output)
        assert len(result.stderr.splitlines()) == 1
