"""Sentences are the same when threads split at once (the TUI aligns in a worker
thread while the reading pane splits on the UI thread)."""

from __future__ import annotations

import threading

from reader.seeds import seed_files
from reader.text.sentences import sentence_spans


def test_threads_splitting_at_once_get_what_one_thread_gets() -> None:
    texts = [path.read_text(encoding="utf-8") for path in seed_files()]
    expected = [sentence_spans(text) for text in texts]
    found: dict[tuple[int, int], list[tuple[int, int]]] = {}
    start = threading.Barrier(4)

    def split(worker: int) -> None:
        start.wait()
        for round_ in range(15):
            for i, text in enumerate(texts):
                spans = sentence_spans(text)
                if spans != expected[i]:
                    found[(worker, round_ * 100 + i)] = spans

    threads = [threading.Thread(target=split, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert found == {}
