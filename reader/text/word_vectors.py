"""Static word vectors: WordLlama's token embeddings, from inside its PyPI wheel.

WordLlama ships one 32,000-token x 256 embedding matrix (float16, 16 MB) and its
tokenizer in the wheel; both load offline (numpy through safetensors, the
tokenizer through HuggingFace `tokenizers`), nothing is downloaded. A word's
vector is the mean of its tokens' rows, unit length, kept once computed.

Used by `reader.align` for soft word matching: "approved" ~ "permission",
"sole" ~ "exclusive", which share no letters.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from reader.errors import ReaderError

DIM = 256
_WEIGHTS = ("weights", "l2_supercat_256.safetensors")
_TOKENIZER = ("tokenizers", "l2_supercat_tokenizer_config.json")
_SPACE = "▁"  # SentencePiece's word start, a token of its own before some words
_CACHE_MAX = 200_000
_cache: dict[str, np.ndarray] = {}


@lru_cache(maxsize=1)
def _model() -> tuple[np.ndarray, Any]:
    """The embedding matrix and the tokenizer, loaded once (about 0.1 s)."""
    try:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        # Where the wheel put its files, without importing the package (its
        # __init__ pulls in requests and its own model code, 0.3 s we do not need).
        spec = importlib.util.find_spec("wordllama")
        if spec is None or not spec.submodule_search_locations:
            raise ModuleNotFoundError("wordllama")
        base = Path(next(iter(spec.submodule_search_locations)))
        matrix = load_file(str(base.joinpath(*_WEIGHTS)))["embedding.weight"]
        tokenizer = Tokenizer.from_file(str(base.joinpath(*_TOKENIZER)))
    except Exception as exc:  # a broken install: one line, not a traceback
        raise ReaderError(
            f"cannot load the word vectors (pip install 'wordllama>=0.4'): {exc}"
        ) from exc
    if matrix.ndim != 2 or matrix.shape[1] != DIM:
        raise ReaderError(f"unexpected word vectors of shape {matrix.shape}")
    return matrix, tokenizer


def vectors(words: Sequence[str]) -> np.ndarray:
    """One unit vector (float32) per word, a row each: len(words) x DIM."""
    warm(words)
    if not words:
        return np.zeros((0, DIM), dtype=np.float32)
    return np.stack([_cache[w] for w in words])


def warm(words: Iterable[str]) -> None:
    """Compute (in one batch) and keep the vectors of the words not seen yet."""
    wanted = list(dict.fromkeys(words))
    missing = [w for w in wanted if w not in _cache]
    if missing:
        matrix, tokenizer = _model()
        if len(_cache) + len(missing) > _CACHE_MAX:
            _cache.clear()
            missing = wanted
        ids: list[int] = []
        starts = []
        for encoding in tokenizer.encode_batch(missing, add_special_tokens=False):
            mine = [i for i, t in zip(encoding.ids, encoding.tokens, strict=True) if t != _SPACE]
            starts.append(len(ids))
            ids.extend(mine or encoding.ids or [0])  # no token at all: <unk>'s row
        # the mean of each word's token rows, all words at once
        sums = np.add.reduceat(matrix[ids].astype(np.float32), starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        rows = np.divide(sums, norms, out=np.zeros_like(sums), where=norms > 0)
        _cache.update(zip(missing, rows, strict=True))
