"""The worker processes a large rebuild cuts its text in give the same documents as this process."""

from __future__ import annotations

from xinghuo.search import indexing, text


def test_workers_cut_text_as_this_process_does():
    batches = [[(1, "泰山区科技馆", "应急科普", "泰安市")], [(2, "东平县星火科技馆", "", "")]]

    with indexing._mapper(2) as documents_of:
        made = list(documents_of(batches))

    assert made == [indexing._documents(batch) for batch in batches]
    assert made[0][0][1] == text.document(title="泰山区科技馆", summary="应急科普", body="泰安市")
