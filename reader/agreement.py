"""Agreement between annotators: Krippendorff's alpha at code-point level, F1, and u-alpha.

For a pair of annotators (a, b), the units are the code points of every article
that both annotated at least once (one live annotation of any label each).

- `char_alpha` for label L: Krippendorff's alpha (nominal, two coders, no missing
  values) where an annotator's value at a code point is 1 if one of their live L
  annotations covers it, else 0. The overall row (label None) takes as a code
  point's value its innermost label: the one of the shortest live annotation
  covering it; between equally long ones, the label first in the label order
  (`reader labels`), then by name; none where nothing covers it (with a label
  filter, only the labels kept count). `None` when
  alpha is undefined: no units, or one value only (no variation).
- `f1_exact`: annotations of the same label with the same start and end match,
  one to one; F1 = 2 * matches / (n_a + n_b). `f1_overlap`: the same with spans
  that overlap, paired greedily by largest overlap (ties: earlier a, then earlier
  b). `None` when n_a + n_b = 0. The overall row adds the matches of all labels.
- `alpha_u`: Krippendorff's unitizing alpha for a continuum (|u-alpha, Krippendorff
  1995, with the discrete expected disagreement of Content Analysis, 2nd ed.,
  2004, as DKPro Statistics computes it). The continuum is the common articles one
  after another; an annotator's L annotations that overlap are joined into one
  unit (u-alpha wants no overlapping units of one category), touching ones stay
  two; gaps end where an article ends. The overall row is 1 - sum(D_o) / sum(D_e)
  over the labels. Shown in the readable output of `reader agree`, not in its
  JSON, whose shape is fixed.

Everything is computed from span boundaries (runs of equal values), never from
one value per code point: a 3 MB article costs what its annotations cost.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from reader.errors import ReaderError
from reader.store import Store

Span = tuple[int, int, str]  # start, end, label
Run = tuple[int, int, Any]  # start, end, value; runs are sorted and never overlap


@dataclass
class Document:
    """One article as agreement sees it: its length and each annotator's live spans."""

    length: int
    spans: dict[str, list[Span]] = field(default_factory=dict)


@dataclass(frozen=True)
class PairRow:
    a: str
    b: str
    label: str | None  # None: all labels together
    char_alpha: float | None
    f1_exact: float | None
    f1_overlap: float | None
    n_a: int
    n_b: int
    alpha_u: float | None
    articles: int  # how many articles both annotated

    def as_json(self) -> dict[str, Any]:
        """The JSON row, keys exactly as the command-line contract gives them."""
        return {
            "a": self.a,
            "b": self.b,
            "label": self.label,
            "char_alpha": self.char_alpha,
            "f1_exact": self.f1_exact,
            "f1_overlap": self.f1_overlap,
            "n_a": self.n_a,
            "n_b": self.n_b,
        }


@dataclass(frozen=True)
class AgreementReport:
    annotators: list[str]
    rows: list[PairRow]

    def as_json(self) -> dict[str, Any]:
        return {"annotators": self.annotators, "pairs": [row.as_json() for row in self.rows]}

    def overall(self, a: str, b: str) -> PairRow | None:
        """The all-labels row of a pair, in either order."""
        for row in self.rows:
            if row.label is None and {row.a, row.b} == {a, b}:
                return row
        return None


# -- from the store ----------------------------------------------------------


def load_documents(store: Store, article_ids: Sequence[str] | None = None) -> dict[str, Document]:
    """Every article with live annotations (among article_ids), its spans by annotator.
    Only an article that two annotators annotated is read for its length (the
    others are no unit of any pair); the rest get length 0."""
    docs: dict[str, Document] = {}
    for row in store.annotation_rows(article_ids):
        article_id, start, end, label, annotator = row[1], row[2], row[3], row[7], row[9]
        doc = docs.setdefault(article_id, Document(0))
        doc.spans.setdefault(annotator, []).append((start, end, label))
    for article_id, doc in docs.items():
        if len(doc.spans) > 1:
            doc.length = len(store.article(article_id).text)
    return docs


def agreement(
    store: Store,
    article_ids: Sequence[str] | None = None,
    annotators: Sequence[str] | None = None,
    labels: Sequence[str] | None = None,
) -> AgreementReport:
    """Agreement figures of every pair of annotators (among `annotators`), per label
    (among `labels`; all labels of the store by default) and overall."""
    docs = load_documents(store, article_ids)
    order = [label.name for label in store.labels()]
    used = {span[2] for doc in docs.values() for spans in doc.spans.values() for span in spans}
    order += sorted(used - set(order))
    if labels is not None:
        order = [name for name in order if name in set(labels)]
    return compute(docs, order, annotators)


# -- the figures ---------------------------------------------------------------


def compute(
    docs: Mapping[str, Document], labels: Sequence[str], annotators: Sequence[str] | None = None
) -> AgreementReport:
    """Rows for every pair (a < b) of annotators: one per label, then the overall one."""
    present = sorted({name for doc in docs.values() for name in doc.spans})
    if annotators is not None:
        missing = [name for name in annotators if name not in present]
        if missing:
            raise ReaderError(f"no annotations by {', '.join(map(repr, missing))} here")
        present = sorted(set(annotators))
    rank = {label: i for i, label in enumerate(labels)}
    rows = []
    for a, b in itertools.combinations(present, 2):
        common = [doc for _, doc in sorted(docs.items()) if doc.spans.get(a) and doc.spans.get(b)]
        rows.extend(_pair_rows(a, b, common, labels, rank))
    return AgreementReport(present, rows)


def _pair_rows(
    a: str, b: str, common: list[Document], labels: Sequence[str], rank: Mapping[str, int]
) -> list[PairRow]:
    rows = []
    sums: Counter[str] = Counter()
    u_observed, u_expected = Fraction(0), Fraction(0)
    for label in labels:
        mine = [[s for s in doc.spans[a] if s[2] == label] for doc in common]
        theirs = [[s for s in doc.spans[b] if s[2] == label] for doc in common]
        pairs: Counter[tuple[Any, Any]] = Counter()
        for doc, x, y in zip(common, mine, theirs, strict=True):
            pairs.update(cross(covered(x), covered(y), doc.length))
        n_a, n_b = sum(map(len, mine)), sum(map(len, theirs))
        exact = sum(exact_matches(x, y) for x, y in zip(mine, theirs, strict=True))
        overlap = sum(len(overlap_matches(x, y)) for x, y in zip(mine, theirs, strict=True))
        d_o, d_e = unitizing_disagreements(mine, theirs, [doc.length for doc in common])
        u_observed += d_o
        u_expected += d_e
        sums.update(n_a=n_a, n_b=n_b, exact=exact, overlap=overlap)
        rows.append(
            PairRow(
                a, b, label,
                char_alpha=nominal_alpha(pairs),
                f1_exact=_f1(exact, n_a, n_b),
                f1_overlap=_f1(overlap, n_a, n_b),
                n_a=n_a, n_b=n_b,
                alpha_u=_ratio_alpha(d_o, d_e),
                articles=len(common),
            )
        )  # fmt: skip
    selected = set(labels)
    overall: Counter[tuple[Any, Any]] = Counter()
    for doc in common:
        x = [s for s in doc.spans[a] if s[2] in selected]
        y = [s for s in doc.spans[b] if s[2] in selected]
        overall.update(cross(innermost(x, rank), innermost(y, rank), doc.length))
    rows.append(
        PairRow(
            a, b, None,
            char_alpha=nominal_alpha(overall),
            f1_exact=_f1(sums["exact"], sums["n_a"], sums["n_b"]),
            f1_overlap=_f1(sums["overlap"], sums["n_a"], sums["n_b"]),
            n_a=sums["n_a"], n_b=sums["n_b"],
            alpha_u=_ratio_alpha(u_observed, u_expected),
            articles=len(common),
        )
    )  # fmt: skip
    return rows


def _f1(matches: int, n_a: int, n_b: int) -> float | None:
    return None if n_a + n_b == 0 else 2 * matches / (n_a + n_b)


def _ratio_alpha(observed: Fraction, expected: Fraction) -> float | None:
    return None if expected == 0 else float(1 - observed / expected)


# -- runs ------------------------------------------------------------------------


def covered(spans: Iterable[Span]) -> list[Run]:
    """The stretches covered by any of the spans, as runs of value 1."""
    runs: list[Run] = []
    for start, end, _ in sorted(spans):
        if runs and start <= runs[-1][1]:
            if end > runs[-1][1]:
                runs[-1] = (runs[-1][0], end, 1)
        else:
            runs.append((start, end, 1))
    return runs


def innermost(spans: Iterable[Span], rank: Mapping[str, int]) -> list[Run]:
    """Runs whose value is the innermost label: that of the shortest covering span,
    on equal lengths the label earlier in `rank`, then by name. A sweep over the
    span boundaries with a heap of the open spans (ended ones leave it lazily)."""
    ordered = sorted(spans)
    if not ordered:
        return []
    bounds = sorted({x for start, end, _ in ordered for x in (start, end)})
    heap: list[tuple[int, int, str, int]] = []
    runs: list[Run] = []
    k = 0
    for lo, hi in itertools.pairwise(bounds):
        while k < len(ordered) and ordered[k][0] <= lo:
            start, end, label = ordered[k]
            heapq.heappush(heap, (end - start, rank.get(label, len(rank)), label, end))
            k += 1
        while heap and heap[0][3] <= lo:
            heapq.heappop(heap)
        if not heap:
            continue
        label = heap[0][2]
        if runs and runs[-1][1] == lo and runs[-1][2] == label:
            runs[-1] = (runs[-1][0], hi, label)
        else:
            runs.append((lo, hi, label))
    return runs


def cross(a: Sequence[Run], b: Sequence[Run], length: int) -> Counter[tuple[Any, Any]]:
    """How many code points of [0, length) have each (value in a, value in b);
    None where a run list has no run."""
    counts: Counter[tuple[Any, Any]] = Counter()
    bounds = sorted({0, length, *(x for r in a for x in r[:2]), *(x for r in b for x in r[:2])})
    i = j = 0
    for lo, hi in itertools.pairwise(bounds):
        while i < len(a) and a[i][1] <= lo:
            i += 1
        while j < len(b) and b[j][1] <= lo:
            j += 1
        value_a = a[i][2] if i < len(a) and a[i][0] <= lo else None
        value_b = b[j][2] if j < len(b) and b[j][0] <= lo else None
        counts[value_a, value_b] += hi - lo
    return counts


# -- Krippendorff's alpha --------------------------------------------------------


def nominal_alpha(pairs: Mapping[tuple[Any, Any], int]) -> float | None:
    """Nominal alpha of two coders who both coded every unit, from how many units
    got each (value of a, value of b). Each unit adds one a-b and one b-a pair to
    the coincidence matrix, so with n = 2 * units pairable values:
    alpha = 1 - (n - 1) * sum(o_ck, c != k) / sum(n_c * n_k, c != k)."""
    totals: Counter[Any] = Counter()
    disagree = 0
    for (x, y), units in pairs.items():
        totals[x] += units
        totals[y] += units
        if x != y:
            disagree += 2 * units
    n = sum(totals.values())
    expected = n * n - sum(count * count for count in totals.values())
    if n < 2 or expected == 0:
        return None
    return float(1 - Fraction((n - 1) * disagree, expected))


def units(spans: Iterable[Span]) -> list[tuple[int, int]]:
    """An annotator's units of one label for u-alpha: overlapping spans joined."""
    joined: list[tuple[int, int]] = []
    for start, end, _ in sorted(spans):
        if joined and start < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


def _tiling(unit_list: list[tuple[int, int]], length: int) -> list[tuple[int, int, bool]]:
    """Units and the gaps between them, tiling [0, length): (start, end, is_unit)."""
    tiles, at = [], 0
    for start, end in unit_list:
        if start > at:
            tiles.append((at, start, False))
        tiles.append((start, end, True))
        at = end
    if at < length:
        tiles.append((at, length, False))
    return tiles


def _delta(g: tuple[int, int, bool], h: tuple[int, int, bool]) -> int:
    """Krippendorff's squared difference of two overlapping segments of two coders."""
    if g[2] and h[2]:
        return (g[0] - h[0]) ** 2 + (g[1] - h[1]) ** 2
    if g[2] and h[0] <= g[0] and g[1] <= h[1]:  # a unit inside the other's gap
        return (g[1] - g[0]) ** 2
    if h[2] and g[0] <= h[0] and h[1] <= g[1]:
        return (h[1] - h[0]) ** 2
    return 0


def unitizing_disagreements(
    mine: Sequence[Iterable[Span]], theirs: Sequence[Iterable[Span]], lengths: Sequence[int]
) -> tuple[Fraction, Fraction]:
    """(D_o, D_e) of u-alpha for one label and two coders over the articles
    (mine[i] and theirs[i] are the coders' spans in the article of lengths[i]).

    D_o = sum over ordered coder pairs and overlapping segments of delta^2 / (m(m-1)L^2).
    D_e = (2/L) * sum over units u of [(N-1)(2l^3 - 3l^2 + l)/3
          + l^2 * sum over gaps g with l_g >= l of (l_g - l + 1)]
          / (mL(mL-1) - sum over units of l(l-1)),
    with m = 2 coders, L the continuum's length, N the number of units, l a length.
    """
    m, total = 2, sum(lengths)
    delta_sum = 0
    unit_lengths: list[int] = []
    gaps: list[int] = []
    for x, y, length in zip(mine, theirs, lengths, strict=True):
        tilings = [_tiling(units(spans), length) for spans in (x, y)]
        for tiles in tilings:
            for start, end, is_unit in tiles:
                (unit_lengths if is_unit else gaps).append(end - start)
        # each overlapping pair of segments once: advance the one that ends first
        g_tiles, h_tiles = tilings
        i = j = 0
        while i < len(g_tiles) and j < len(h_tiles):
            g, h = g_tiles[i], h_tiles[j]
            delta_sum += _delta(g, h)
            if g[1] <= h[1]:
                i += 1
            if h[1] <= g[1]:
                j += 1
    if total == 0 or not unit_lengths:
        return Fraction(0), Fraction(0)
    observed = Fraction(2 * delta_sum, m * (m - 1) * total * total)
    gaps.sort()
    suffix = [0, *itertools.accumulate(reversed(gaps))][::-1]  # suffix[k] = sum(gaps[k:])
    count = len(unit_lengths)
    numerator3 = 0  # three times the sum, to stay in integers
    for length in unit_lengths:
        k = bisect.bisect_left(gaps, length)
        fits = suffix[k] - (length - 1) * (len(gaps) - k)
        numerator3 += (count - 1) * (2 * length**3 - 3 * length**2 + length)
        numerator3 += 3 * length * length * fits
    denominator = m * total * (m * total - 1) - sum(n * (n - 1) for n in unit_lengths)
    expected = Fraction(2 * numerator3, 3 * total * denominator)
    return observed, expected


# -- F1 ----------------------------------------------------------------------------


def exact_matches(a: Iterable[Span], b: Iterable[Span]) -> int:
    """Pairs of the same label, start and end, one to one."""
    return sum((Counter(a) & Counter(b)).values())


def overlap_matches(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[int, int]]:
    """(index in a, index in b) of spans of the same label that overlap, one to one,
    the largest overlaps first (ties: the earlier a span, then the earlier b span)."""
    candidates = []
    for i, j in _overlapping(a, b):
        if a[i][2] == b[j][2]:
            size = min(a[i][1], b[j][1]) - max(a[i][0], b[j][0])
            candidates.append((-size, a[i][:2], b[j][:2], i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    matched = []
    for *_, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matched.append((i, j))
    return matched


def _overlapping(a: Sequence[Span], b: Sequence[Span]) -> Iterable[tuple[int, int]]:
    """Every (i, j) whose spans overlap: a sweep by start that keeps each side's
    open spans, so the cost follows the number of overlapping pairs, not |a| * |b|."""
    events = sorted(
        [(s[0], 0, i) for i, s in enumerate(a)] + [(s[0], 1, j) for j, s in enumerate(b)]
    )
    open_spans: tuple[list[int], list[int]] = ([], [])
    sides = (a, b)
    for start, side, index in events:
        for k in (0, 1):
            open_spans[k][:] = [x for x in open_spans[k] if sides[k][x][1] > start]
        for other in open_spans[1 - side]:
            yield (index, other) if side == 0 else (other, index)
        open_spans[side].append(index)


def by_pair(report: AgreementReport) -> dict[tuple[str, str], list[PairRow]]:
    """The rows of each pair, in order."""
    grouped: dict[tuple[str, str], list[PairRow]] = defaultdict(list)
    for row in report.rows:
        grouped[row.a, row.b].append(row)
    return dict(grouped)


# -- readable output -------------------------------------------------------------

_HEAD = ("label", "alpha", "alpha_u", "F1 exact", "F1 overlap", "n_a", "n_b")
_LABEL_WIDTH = 16


def report_lines(report: AgreementReport, clean: Callable[[object], str]) -> list[str]:
    """`reader agree` as tables, one per pair; `clean` makes names printable."""
    lines = []
    for (a, b), rows in by_pair(report).items():
        count = rows[0].articles
        lines.append(
            f"{clean(a)} and {clean(b)}: {count} article{'s' if count != 1 else ''} "
            "annotated by both"
        )
        lines.append(_row(_HEAD))
        for row in rows:
            name = "(all labels)" if row.label is None else clean(row.label)
            figures = (row.char_alpha, row.alpha_u, row.f1_exact, row.f1_overlap)
            lines.append(_row((name, *map(figure, figures), str(row.n_a), str(row.n_b))))
    lines.append(
        "alpha: Krippendorff's alpha over code points; alpha_u: unitizing alpha; "
        "-: undefined (no variation)"
    )
    return lines


def _row(cells: Sequence[str]) -> str:
    name = cells[0] if len(cells[0]) <= _LABEL_WIDTH else cells[0][: _LABEL_WIDTH - 1] + "…"
    widths = (8, 9, 10, 12, 6, 6)
    rest = "".join(cell.rjust(width) for cell, width in zip(cells[1:], widths, strict=True))
    return f"  {name:<{_LABEL_WIDTH}}{rest}"


def figure(value: float | None) -> str:
    """A figure as shown: three decimals, "-" when undefined."""
    return "-" if value is None else f"{value:.3f}"
