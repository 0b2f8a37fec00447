"""Text processing: what a token is, for documents and queries alike (no database)."""

from __future__ import annotations

import sqlite3

import pytest

from xinghuo.search import text
from xinghuo.search.backends import FTS_COLUMNS, PostgresBackend, SqliteBackend

NASTY = [
    '"', "'", "''", '"泰山', "泰山'", "(", ")", "()", "*", "-", "--泰山", ":", "^", "泰山:*", "taish:*", "a:b",
    "NEAR", "NEAR(泰山 科技馆)", "泰山 AND", "OR 泰山", "NOT", "泰山 NOT 科技馆", "{title}: 泰山", "title:泰山",
    "col : x", "&", "|", "!", "<->", "泰山 <-> 科技馆", "\\", "\\'", "%", "_", "\x00", "\u200b", "😀", "𠀀",
    "ＡＩ", "☆★", "…", "​", "a" * 500, "泰" * 500, "的", "的了吗", "，。！？", "   ", "",
]  # fmt: skip


def test_full_width_and_case_are_folded():
    assert text.normalise("ＡＢＣ１２３　ｘ") == "abc123 x"
    assert text.runs("ＡＩ科普５Ｇ，泰山！") == ["ai", "科普", "5g", "泰山"]


def test_a_han_run_and_a_latin_run_are_separate_tokens():
    # PostgreSQL would keep `ai科普` as one token: cut here, it is two, on both databases.
    assert text.runs("ai科普 xh-kjg_370902") == ["ai", "科普", "xh", "kjg", "370902"]


@pytest.mark.parametrize(
    ("phrase", "word"),
    [
        ("泰安市新建星火科技馆", "星火科技馆"),
        ("举办东岳星空科普讲坛", "东岳星空科普讲坛"),
        ("开展应急科普宣传", "应急科普"),
        ("关注科普中国公众号", "科普中国"),
        ("岱岳区粥店街道科普教育基地", "科普教育基地"),
        ("登泰山看日出", "泰山"),
    ],
)
def test_domain_terms_are_cut_as_one_word(phrase, word):
    assert word in text.query_words(phrase)


def test_search_mode_indexes_the_words_inside_a_longer_one():
    words = text.index_words("泰山区星火科技馆")

    assert {"泰山", "泰山区", "星火", "科技", "科技馆", "星火科技馆"} <= set(words)


def test_stopwords_and_punctuation_give_no_words():
    assert text.index_words("的，了。和！") == []
    assert text.parse_query("的 了 吗？！") == []


@pytest.mark.parametrize(
    ("word", "full", "initials"),
    [
        ("泰山", "taishan", "ts"),
        ("科技馆", "kejiguan", "kjg"),
        ("绿色", "lvse", "ls"),
        ("重庆", "chongqing", "cq"),
        ("岱岳", "daiyue", "dy"),
    ],
)
def test_pinyin_in_full_and_initials(word, full, initials):
    assert text.pinyin(word) == (full, initials)


def test_a_title_gives_pinyin_per_word_and_whole():
    tokens = text.title_pinyin("泰山区科技馆")

    assert {"taishan", "ts", "taishanqu", "tsq", "kejiguan", "kjg", "taishanqukejiguan", "tsqkjg"} <= set(tokens)
    assert len(tokens) == len(set(tokens))


def test_initials_of_a_phrase_of_two_words_are_indexed():
    assert {"lajifenlei", "ljfl"} <= set(text.title_pinyin("泰安市垃圾分类科普馆"))


def test_a_title_gives_character_pairs_so_any_piece_of_it_is_a_phrase():
    assert text.title_grams("科技馆（泰山）5G") == ["科技", "技馆", "馆", "泰山", "山", "5g"]


def test_a_last_term_that_is_a_whole_dictionary_word_is_not_a_prefix_and_a_word_being_typed_is():
    assert [t.prefix for t in text.parse_query("地震")] == [False]  # 地震局 is indexed with 地震 too
    assert [t.prefix for t in text.parse_query("新能")] == [True]
    assert [t.prefix for t in text.parse_query("高血压 taish")] == [False, True]


def test_a_query_is_a_term_per_run_and_the_last_is_a_prefix():
    terms = text.parse_query("泰山 科技馆 taish")

    assert [t.whole for t in terms] == ["泰山", "科技馆", "taish"]
    assert [t.prefix for t in terms] == [False, False, True]
    assert terms[1].grams == ("科技", "技馆")
    assert terms[2].grams == ()


def test_a_long_query_is_capped():
    assert len(text.parse_query(" ".join(f"词{i}" for i in range(40)))) <= text.MAX_QUERY_TERMS


@pytest.mark.parametrize("query", NASTY)
def test_nothing_typed_reaches_the_query_syntax_except_as_a_quoted_token(query):
    for term in text.parse_query(query):
        for token in (term.whole, *term.words, *term.grams):
            assert token
            assert all(ch.isalnum() for ch in token)


def test_every_fts5_expression_made_from_user_input_is_valid():
    """FTS5 is part of Python's SQLite: each nasty query's MATCH text runs against a real FTS5 table."""
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5({', '.join(FTS_COLUMNS)})")
    doc = text.document(title="泰山区科技馆", summary="科普", body="泰安市")
    db.execute(
        "INSERT INTO t(rowid, title, pinyin, grams, summary, body) VALUES (1, ?, ?, ?, ?, ?)", [getattr(doc, c) for c in FTS_COLUMNS]
    )
    for query in [*NASTY, "泰山 科技馆", "技馆", "馆", "taish", "kjg"]:
        terms = text.parse_query(query)
        if terms:
            db.execute("SELECT rowid, bm25(t) FROM t WHERE t MATCH ?", [SqliteBackend().match(terms)]).fetchall()


def test_the_tsvector_numbers_positions_through_the_groups_by_weight_and_marks_the_title_pairs():
    doc = text.Document(title="泰山 科技馆", pinyin="taishan", grams="泰山 山科", summary="泰山", body="")

    assert PostgresBackend.tsvector(doc) == "'泰山':1A,4B '科技馆':2A 'taishan':3A '_泰山':5D '_山科':6D"


def test_the_tsquery_quotes_every_token():
    query = PostgresBackend().tsquery(text.parse_query("泰山 科技馆 taish"))

    # no weight label: GIN would have to recheck every candidate row (see backends)
    assert query == ("(('泰山') | ('_泰山')) & (('科技馆') | ('_科技' <-> '_技馆')) & (('taish':*))")
