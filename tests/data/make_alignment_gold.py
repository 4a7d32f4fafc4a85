"""Writes tests/data/alignment_gold.jsonl from the hand judgments below.

The judgments were made by reading the five sample articles sentence by sentence
(see tests/data/README.md). Each names two sentences by seed file (0-4, in file
order) and sentence index (the order `reader.text.sentences.sentence_spans` gives
per paragraph); this script only turns the indices into article ids and exact
offsets, so the JSONL is checkable without this file. Run it again only if the
sentence splitter changes, and re-read every pair it prints if it does.

    python tests/data/make_alignment_gold.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from reader.importing import load_file
from reader.seeds import seed_files
from reader.text.paragraphs import paragraph_spans
from reader.text.sentences import sentence_spans

OUT = Path(__file__).parent / "alignment_gold.jsonl"

# (article, sentence, article, sentence, label, why). Labels:
#   same       the two sentences report the same fact (at most one per sentence
#              and article pair: the counterpart a reader would link)
#   different  same topic, a different fact (hard negatives)
#   partial    they share a fact but one's main point is elsewhere, or the
#              sentence has an equally good counterpart: not scored either way
JUDGMENTS: list[tuple[int, int, int, int, str, str]] = [
    # 000 (Stargate blog) / 002 (Shift in partnership)
    (0, 7, 2, 3, "same", "right of first refusal granted"),
    (0, 5, 2, 1, "same", "Microsoft no longer OpenAI's exclusive cloud partner"),
    (0, 9, 2, 4, "same", "if Microsoft cannot meet the needs, other providers"),
    (0, 1, 2, 2, "same", "Stargate announced with SoftBank and Oracle"),
    (0, 19, 2, 8, "same", "Microsoft approved extra capacity for research and training"),
    (0, 20, 2, 7, "same", "compute capacity a point of friction"),
    (0, 21, 2, 6, "same", "lack of compute delayed product launches"),
    (0, 23, 2, 13, "same", "AGI defined as $100 billion in profits"),
    (0, 22, 2, 12, "same", "the agreement ends when OpenAI reaches AGI"),
    (0, 10, 2, 10, "same", "key elements of the partnership preserved"),
    (0, 8, 2, 4, "partial", "A2[4] also holds the hosting-first half"),
    (0, 11, 2, 11, "partial", "A2[11] lists IP, revenue and APIs together"),
    (0, 16, 2, 7, "partial", "both call Microsoft a major investor, in passing"),
    (0, 6, 2, 1, "partial", "relationship transformed / shift in partnership"),
    (0, 4, 2, 7, "different", "49% stake vs tension over compute"),
    (0, 3, 2, 12, "different", "AGI around the corner vs AGI contract clause"),
    (0, 18, 2, 8, "different", "Azure commitment vs approval to build capacity"),
    (0, 12, 2, 11, "different", "customers get the best model vs list of kept elements"),
    (0, 26, 2, 16, "different", "Microsoft may buy OpenAI vs compute needs grow"),
    (0, 14, 2, 17, "different", "customers' access to models vs more cloud options"),
    (0, 5, 2, 3, "different", "previously exclusive vs right of first refusal"),
    (0, 2, 2, 2, "different", "$500 billion data centres vs announcement and partners"),
    (0, 19, 2, 16, "different", "approval to expand vs needs will grow"),
    # 000 / 004 (AiNews)
    (0, 7, 4, 12, "same", "right of first refusal, no longer exclusive"),
    (0, 5, 4, 11, "same", "Microsoft gave up the exclusive provider role"),
    (0, 9, 4, 23, "same", "other providers if Microsoft cannot or declines"),
    (0, 2, 4, 14, "same", "$500 billion for AI infrastructure in the U.S."),
    (0, 1, 4, 13, "same", "Stargate announced by OpenAI, SoftBank, Oracle"),
    (0, 11, 4, 22, "same", "Microsoft keeps OpenAI IP for products like Copilot"),
    (0, 13, 4, 21, "same", "the OpenAI API stays exclusive to Azure"),
    (0, 18, 4, 19, "same", "the new, large Azure commitment (000 garbles who pledged)"),
    (0, 10, 4, 20, "same", "the updated agreement keeps these points"),
    (0, 0, 4, 3, "same", "headline: Microsoft loses its exclusive cloud role"),
    (0, 20, 4, 26, "partial", "capacity difficulties vs Nadella on constraints"),
    (0, 16, 4, 11, "partial", "largest investor, in passing"),
    (0, 16, 4, 36, "partial", "remains involved, in passing"),
    (0, 4, 4, 16, "different", "$14 billion stake vs $1 billion in 2019"),
    (0, 2, 4, 31, "different", "data centres planned vs construction begun"),
    (0, 24, 4, 16, "different", "$6.6 billion round vs 2019 investment"),
    (0, 13, 4, 22, "different", "API exclusivity vs IP rights"),
    (0, 11, 4, 21, "different", "IP rights vs API exclusivity"),
    (0, 3, 4, 37, "different", "AGI prediction vs Stargate and Oracle"),
    (0, 1, 4, 14, "different", "announcement vs $500 billion over four years"),
    (0, 2, 4, 13, "different", "$500 billion purpose vs the joint venture's members"),
    (0, 15, 4, 22, "different", "revenue sharing vs IP rights"),
    (0, 27, 4, 33, "different", "$44 billion losses vs Oracle stock up 7%"),
    (0, 25, 4, 14, "different", "$157 billion valuation vs $500 billion plan"),
    # 000 / 001 (Live Mint)
    (0, 24, 1, 13, "same", "the $6.6 billion round with Microsoft in it"),
    (0, 19, 1, 3, "same", "with Microsoft's approval OpenAI builds/uses other capacity"),
    (0, 11, 1, 20, "same", "Microsoft keeps access to OpenAI models/IP"),
    (0, 4, 1, 1, "partial", "$14 billion, but 001's point is Stargate"),
    (0, 1, 1, 1, "partial", "Stargate members, 001's point is Microsoft's role"),
    (0, 5, 1, 14, "partial", "exclusivity, past vs its terms"),
    (0, 16, 1, 19, "partial", "investor, 001 adds revenue share"),
    (0, 15, 1, 19, "partial", "revenue share, 001 adds investor"),
    (0, 24, 1, 6, "different", "$6.6 billion round vs tens of billions in 2023"),
    (0, 4, 1, 13, "different", "$14 billion stake vs $750 million"),
    (0, 26, 1, 4, "different", "acquisition speculation vs strained relationship"),
    (0, 22, 1, 14, "different", "AGI exit vs exclusivity until 2030"),
    (0, 2, 1, 22, "different", "$500 billion Stargate vs $80 billion capex"),
    (0, 27, 1, 19, "different", "$44 billion losses vs stake may decline"),
    (0, 21, 1, 16, "different", "launch delays vs needs several partners"),
    # 000 / 003 (AutoGPT)
    (0, 7, 3, 31, "same", "right of first refusal"),
    (0, 9, 3, 33, "same", "if Microsoft cannot, other providers"),
    (0, 8, 3, 32, "same", "hosting goes to Microsoft first (000 garbled)"),
    (0, 5, 3, 1, "same", "Microsoft no longer the sole provider"),
    (0, 13, 3, 48, "same", "OpenAI API exclusive to Azure"),
    (0, 23, 3, 55, "same", "AGI as $100 billion in profits"),
    (0, 15, 3, 51, "same", "revenue sharing"),
    (0, 1, 3, 29, "same", "Stargate with SoftBank and Oracle"),
    (0, 21, 3, 26, "same", "compute shortfalls delayed launches"),
    (0, 20, 3, 25, "same", "Microsoft could not meet OpenAI's compute needs"),
    (0, 16, 3, 71, "same", "Microsoft keeps its stake and gains from OpenAI's growth"),
    (0, 6, 3, 0, "same", "OpenAI's move reshapes its relationship with Microsoft"),
    (0, 22, 3, 54, "partial", "AGI clause named, not its content"),
    (0, 13, 3, 24, "partial", "API exclusivity inside an investment sentence"),
    (0, 13, 3, 49, "partial", "both name the Azure OpenAI Service route"),
    (0, 5, 3, 21, "partial", "synonymous with OpenAI's infrastructure"),
    (0, 15, 3, 52, "different", "revenue sharing vs long runway for projects"),
    (0, 9, 3, 41, "different", "fallback providers vs scaling faster"),
    (0, 12, 3, 61, "different", "customers get best model vs Windows users benefit"),
    (0, 11, 3, 74, "different", "IP rights vs Windows users see AI performance"),
    (0, 26, 3, 45, "different", "acquisition speculation vs not a breakup"),
    (0, 3, 3, 55, "different", "AGI prediction vs AGI clause"),
    # 001 / 002
    (1, 3, 2, 8, "same", "Microsoft permits OpenAI capacity elsewhere for training"),
    (1, 4, 2, 7, "same", "the relationship is strained / tension"),
    (1, 20, 2, 11, "partial", "access to models vs list with IP"),
    (1, 19, 2, 7, "partial", "investor, in passing"),
    (1, 17, 2, 10, "partial", "keep working together vs elements intact"),
    (1, 1, 2, 2, "partial", "Stargate members, 001's point is Microsoft's role"),
    (1, 14, 2, 10, "different", "exclusivity until 2030 vs elements intact through 2030"),
    (1, 14, 2, 12, "different", "exclusivity until 2030 vs AGI before 2030"),
    (1, 22, 2, 13, "different", "$80 billion capex vs $100 billion profits"),
    (1, 23, 2, 2, "different", "Musk's criticism vs the announcement"),
    (1, 21, 2, 2, "different", "Microsoft shifts spending vs the announcement"),
    (1, 13, 2, 7, "different", "$750 million vs tension"),
    # 001 / 004
    (1, 20, 4, 22, "same", "Microsoft keeps access to OpenAI's models/IP"),
    (1, 4, 4, 25, "same", "signs of tension / strained relationship"),
    (1, 1, 4, 13, "partial", "Stargate members, 001's point is Microsoft's role"),
    (1, 19, 4, 11, "partial", "largest investor, in passing"),
    (1, 15, 4, 26, "partial", "Nadella and Altman talked, about different things"),
    (1, 3, 4, 23, "partial", "other clouds allowed, different condition"),
    (1, 13, 4, 16, "different", "$750 million in 2024 vs $1 billion in 2019"),
    (1, 6, 4, 18, "different", "2023 investment talks vs Oracle joined in 2023"),
    (1, 22, 4, 14, "different", "$80 billion capex vs $500 billion Stargate"),
    (1, 24, 4, 31, "different", "Musk: no money vs Ellison: construction begun"),
    (1, 21, 4, 13, "different", "Microsoft shifts spending vs joint venture members"),
    (1, 7, 4, 26, "different", "2023 funding talks vs a recent podcast"),
    (1, 14, 4, 11, "different", "exclusivity terms vs exclusivity given up"),
    # 001 / 003
    (1, 17, 3, 45, "same", "not a breakup: the two keep working together"),
    (1, 1, 3, 29, "partial", "Stargate members, 001's point is Microsoft's role"),
    (1, 19, 3, 51, "partial", "revenue share, 001 adds investor"),
    (1, 16, 3, 68, "partial", "single partner: practice vs lesson"),
    (1, 14, 3, 24, "different", "cloud exclusivity until 2030 vs API rights bought"),
    (1, 22, 3, 40, "different", "$80 billion capex vs GPT-4 training cost"),
    (1, 23, 3, 29, "different", "Musk's criticism vs Stargate's partners"),
    # 002 / 004
    (2, 3, 4, 12, "same", "right of first refusal"),
    (2, 1, 4, 11, "same", "no longer the exclusive cloud provider"),
    (2, 4, 4, 23, "same", "other providers if Microsoft cannot or declines"),
    (2, 2, 4, 13, "same", "Stargate with SoftBank, Oracle and others"),
    (2, 7, 4, 25, "same", "tension between the two"),
    (2, 10, 4, 20, "same", "key elements / key points of the arrangement"),
    (2, 15, 4, 35, "same", "commentary: partnerships evolve with AI's complexity"),
    (2, 0, 4, 15, "same", "heading: a shift in the partnership"),
    (2, 11, 4, 22, "partial", "IP access inside a list of three"),
    (2, 1, 4, 12, "partial", "no longer exclusive, 004 leads with the refusal right"),
    (2, 16, 4, 38, "partial", "rising compute demands, in general"),
    (2, 3, 4, 11, "different", "right of first refusal vs exclusivity given up"),
    (2, 13, 4, 14, "different", "$100 billion profits vs $500 billion investment"),
    (2, 8, 4, 19, "different", "approval to build capacity vs Azure commitment"),
    (2, 8, 4, 17, "different", "approval to build capacity vs third-party providers"),
    (2, 12, 4, 36, "different", "AGI condition vs shift in power"),
    (2, 6, 4, 17, "different", "delayed launches vs CoreWeave added"),
    # 002 / 003
    (2, 3, 3, 31, "same", "right of first refusal"),
    (2, 1, 3, 1, "same", "no longer the sole provider"),
    (2, 2, 3, 29, "same", "Stargate with SoftBank, Oracle and other players"),
    (2, 13, 3, 55, "same", "$100 billion in profits ends Microsoft's rights"),
    (2, 10, 3, 46, "same", "the partnership's key elements remain"),
    (2, 6, 3, 26, "same", "compute shortfalls delayed launches"),
    (2, 4, 3, 32, "partial", "hosting first: half of 002's sentence"),
    (2, 4, 3, 33, "partial", "fallback providers: the other half"),
    (2, 17, 3, 30, "partial", "more infrastructure options, two candidates"),
    (2, 17, 3, 36, "partial", "more infrastructure options, two candidates"),
    (2, 7, 3, 25, "partial", "tension over compute vs compute outpaced"),
    (2, 11, 3, 48, "partial", "API exclusivity inside a list of three"),
    (2, 12, 3, 54, "partial", "AGI clause named, not its content"),
    (2, 12, 3, 51, "different", "AGI before 2030 vs revenue sharing until 2030"),
    (2, 11, 3, 49, "different", "kept elements vs what the APIs power"),
    (2, 2, 3, 34, "different", "Stargate vs an earlier Oracle deal"),
    (2, 3, 3, 30, "different", "right of first refusal vs more diverse resources"),
    (2, 15, 3, 68, "different", "partnerships evolve vs single provider is a risk"),
    (2, 8, 3, 39, "different", "approval to build vs training needs compute"),
    (2, 13, 3, 52, "different", "$100 billion clause vs long runway"),
    # 003 / 004
    (3, 31, 4, 12, "same", "right of first refusal"),
    (3, 33, 4, 23, "same", "other providers if Microsoft cannot or declines"),
    (3, 1, 4, 11, "same", "no longer the exclusive provider"),
    (3, 29, 4, 13, "same", "Stargate with SoftBank and Oracle"),
    (3, 48, 4, 21, "same", "API exclusively on Azure"),
    (3, 34, 4, 18, "same", "Oracle became a cloud partner earlier (dates differ)"),
    (3, 24, 4, 16, "partial", "Microsoft's investment, different details"),
    (3, 22, 4, 16, "partial", "Azure powered OpenAI, different details"),
    (3, 45, 4, 25, "partial", "still partners, 004 stresses tension"),
    (3, 0, 4, 36, "partial", "relationship shifted, in passing"),
    (3, 35, 4, 30, "different", "Oracle's prowess vs Oracle extends Azure"),
    (3, 34, 4, 29, "different", "earlier Oracle deal vs Oracle in Stargate"),
    (3, 49, 4, 21, "different", "what the APIs power vs API exclusivity"),
    (3, 41, 4, 17, "different", "scaling faster vs CoreWeave added"),
    (3, 55, 4, 14, "different", "$100 billion clause vs $500 billion plan"),
    (3, 68, 4, 36, "different", "single provider is a risk vs power shift"),
    (3, 51, 4, 22, "different", "revenue sharing vs IP rights"),
]

# Verbatim (or bullet-prefixed) repeats of a sentence inside one article: a
# pair naming one of these is also right when it takes a repeat instead.
REPEATS: dict[tuple[int, int], list[int]] = {
    (3, 25): [6],
    (3, 26): [7],
    (3, 71): [13],
    (4, 3): [2, 10],
}


def main() -> None:
    articles = [load_file(path) for path in seed_files()]
    sentences = [
        [s for p in paragraph_spans(a.text) for s in sentence_spans(a.text, *p)] for a in articles
    ]

    def side(article: int, index: int) -> dict[str, object]:
        text = articles[article].text
        start, end = sentences[article][index]
        out: dict[str, object] = {
            "article": articles[article].id,
            "start": start,
            "end": end,
            "text": text[start:end],
        }
        repeats = REPEATS.get((article, index))
        if repeats:
            out["repeats"] = [list(sentences[article][i]) for i in repeats]
        return out

    seen: set[tuple[int, int, int, int]] = set()
    lines = []
    for ai, si, bj, sj, label, why in JUDGMENTS:
        key = (ai, si, bj, sj)
        assert key not in seen, key
        assert ai < bj, key
        seen.add(key)
        a, b = side(ai, si), side(bj, sj)
        # The split is drawn from the pair itself, not chosen: half to tune on,
        # half measured once at the end.
        digest = hashlib.sha256(f"{a['article']}:{a['start']}:{b['article']}:{b['start']}".encode())
        split = "dev" if digest.digest()[0] % 2 == 0 else "test"
        lines.append({"a": a, "b": b, "label": label, "split": split, "why": why})
    # "same" pairs are one-to-one within each article pair
    for pos in ("a", "b"):
        keys = [
            (r["a"]["article"], r["b"]["article"], r[pos]["start"])
            for r in lines
            if r["label"] == "same"
        ]
        assert len(keys) == len(set(keys)), f"a sentence has two counterparts ({pos})"
    with OUT.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    counts: dict[tuple[str, str], int] = {}
    for line in lines:
        counts[(line["label"], line["split"])] = counts.get((line["label"], line["split"]), 0) + 1
    print(OUT, dict(sorted(counts.items())))


if __name__ == "__main__":
    main()
