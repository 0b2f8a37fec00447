"""Chinese text made searchable: the one place that decides what a token is, for documents and queries alike.

A database's own full-text parser cannot cut Chinese into words (FTS5's unicode61 and PostgreSQL's `simple`
parser both keep a run of Han characters as one token). So the text is cut here, by jieba, into tokens that are
each a run of letters and digits of one script, lowercased: FTS5 gets them as space-separated text, which its
tokenizer keeps as they are, and PostgreSQL as tsvector and tsquery literals, which no parser touches. A query
goes through the very same steps as the text it is matched against.

What a document gives the index (`document`):
- title words, jieba's search mode (泰山区 → 泰山, 山区, 泰山区), so that a query word finds the longer word;
- the title's pinyin, per word, per two words in a row and for the whole title, in full syllables and in
  initials (科技馆 → kejiguan, kjg; 垃圾分类 → ljfl), so that a phone user can type `taishan`, `ts` or `kjg`;
- the title's character pairs (科技馆 → 科技 技馆 馆), so that any piece of a title, like the substring an
  `icontains` found, is still found as a phrase of pairs whatever jieba made of it;
- summary and body words, search mode.

A query (`parse_query`) is a list of terms, one per run of one script in what was typed; every term must match.
"""

from __future__ import annotations

import functools
import itertools
import logging
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Committed domain terms (科普, 星火科技馆, 泰山, …): cut as one word, whatever jieba's own dictionary says.
DICTIONARY = Path(__file__).with_name("dictionary.txt")
#: jieba keeps its parsed dictionary (≈9 MB) in a cache file; ours has a fixed name in a folder of its own.
CACHE_DIR = Path(tempfile.gettempdir()) / "xinghuo-search"
CACHE_FILE = "jieba.cache"

#: The longest text indexed per field: jieba's time and PostgreSQL's tsvector (≤1 MB) stay bounded.
MAX_FIELD_CHARS = 100_000
#: The longest query read, and the most terms it may have: a pasted page is not a query.
MAX_QUERY_CHARS = 100
MAX_QUERY_TERMS = 8

#: Function words that carry no meaning on their own: dropped from documents and queries alike, so that a
#: query of only these (的, 了, 和) matches nothing rather than everything.
STOPWORDS = frozenset("的地得了着过和与及或而且之其把被对于在是为以由从向也都就还又等啊吗呢吧呀哦")

# A token: a run of letters or digits (Python's isalnum: categories L*, N*), which both FTS5's unicode61 and
# PostgreSQL's parser keep whole; `_` and everything else separates.
_ALNUM = re.compile(r"[^\W_]+")
# Han ideographs (the unified blocks and their extensions, and the compatibility block).
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_SCRIPT_RUN = re.compile(f"[{_HAN}]+|[^{_HAN}]+")
_IS_HAN = re.compile(f"[{_HAN}]")

_lock = threading.Lock()
_tokenizer: Any = None


def normalise(text: str) -> str:
    """Full-width to half-width and compatibility forms folded (NFKC: ＡＢＣ１２３ → abc123), lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str) -> list[str]:
    """The text's runs of letters and digits, split where the script changes between Han and anything else
    (`ai科普5g` → ai, 科普, 5g): PostgreSQL would otherwise keep `ai科普` as one token."""
    return [part for chunk in _ALNUM.findall(normalise(text)) for part in _SCRIPT_RUN.findall(chunk)]


def is_han(token: str) -> bool:
    return bool(_IS_HAN.match(token))


def tokenizer() -> Any:
    """jieba's tokenizer with the domain dictionary, made once per process (≈0.7 s from the cache file, ≈2 s
    the first time on a machine). Its cache goes to a folder of ours, and its progress lines are not logged."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                logging.getLogger("jieba").setLevel(logging.WARNING)
                made = jieba.Tokenizer()
                CACHE_DIR.mkdir(parents=True, exist_ok=True)
                made.tmp_dir = str(CACHE_DIR)
                made.cache_file = CACHE_FILE
                made.initialize()
                for line in DICTIONARY.read_text(encoding="utf-8").splitlines():
                    word, *rest = line.split() or [""]
                    if word and not word.startswith("#"):
                        made.add_word(word, int(rest[0]) if rest and rest[0].isdigit() else None)
                _tokenizer = made
    return _tokenizer


def _words(text: str, *, search_mode: bool) -> list[str]:
    """Words of the text, stopwords dropped. Search mode adds the known words inside a longer one."""
    cut = tokenizer().cut_for_search if search_mode else tokenizer().cut
    words: list[str] = []
    for run in runs(text[:MAX_FIELD_CHARS]):
        if is_han(run):
            words.extend(w for w in cut(run) if w not in STOPWORDS)
        else:
            words.append(run)
    return words


def index_words(text: str) -> list[str]:
    """The words a document's field is indexed under (jieba's search mode)."""
    return _words(text, search_mode=True)


def query_words(text: str) -> list[str]:
    """The words of a query (jieba's precise mode: each must be found, so no more than were typed)."""
    return _words(text, search_mode=False)


@functools.lru_cache(maxsize=65_536)
def pinyin(word: str) -> tuple[str, str]:
    """A Han word's pinyin in full syllables and in initials, each joined: 泰山 → ("taishan", "ts").
    ü is written v (绿 → lv), as on a phone keyboard. Cached: titles repeat the same words."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(word, style=Style.NORMAL, errors="ignore", v_to_u=False)
    return "".join(syllables), "".join(s[0] for s in syllables if s)


def title_pinyin(text: str, *, words: list[str] | None = None) -> list[str]:
    """Pinyin tokens of a title, each in full syllables and in initials: every Han word (search mode), every
    two words that follow each other (垃圾 分类 → lajifenlei, ljfl: initials are typed for a phrase, not a
    dictionary word), and every Han run whole. 泰山区科技馆 → taishan ts … kejiguan kjg … taishanqukejiguan
    tsqkjg. `words`: the title's `index_words`, when the caller has them already."""
    tokens: list[str] = []
    seen: set[str] = set()
    han_runs = [run for run in runs(text[:MAX_FIELD_CHARS]) if is_han(run)]
    han_words = [w for w in (index_words(text) if words is None else words) if len(w) > 1 and is_han(w)]
    pairs = []
    for run in han_runs:
        precise = [w for w in tokenizer().cut(run) if w not in STOPWORDS]
        pairs += [a + b for a, b in itertools.pairwise(precise)]
    for word in [*han_words, *pairs, *(run for run in han_runs if len(run) > 1)]:
        for token in pinyin(word):
            if token and token not in seen:
                seen.add(token)
                tokens.append(token)
    return tokens


def grams(run: str) -> list[str]:
    """A Han run's character pairs and its last character (科技馆 → 科技 技馆 馆): a substring of two or more
    characters is then a phrase of consecutive pairs, and a single character the start of a pair or the end."""
    if len(run) < 2:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


def title_grams(text: str) -> list[str]:
    """Character pairs of a title's Han runs; its other runs (latin, digits) as they are."""
    return [g for run in runs(text[:MAX_FIELD_CHARS]) for g in (grams(run) if is_han(run) else [run])]


@dataclass(frozen=True)
class Document:
    """What one record gives the index, each field as space-separated tokens."""

    title: str
    pinyin: str
    grams: str
    summary: str
    body: str


def _joined(parts: Iterable[str]) -> str:
    return " ".join(part for part in parts if part)


def document(*, title: str, summary: str = "", body: str = "") -> Document:
    title_words = index_words(title)
    return Document(
        title=_joined(title_words),
        pinyin=_joined(title_pinyin(title, words=title_words)),
        grams=_joined(title_grams(title)),
        summary=_joined(index_words(summary)),
        body=_joined(index_words(body)),
    )


@dataclass(frozen=True)
class Term:
    """One run of what was typed. It matches a record when any of these does:

    - every word of `words` (the last one as a prefix when `prefix`), in any field;
    - `whole` as the prefix of a word, when `prefix` (新能 finds 新能源, taish finds taishan);
    - for Han: `grams` as consecutive character pairs of the title (a substring of the title).
    """

    whole: str
    words: tuple[str, ...]
    grams: tuple[str, ...] = ()
    prefix: bool = False

    @property
    def han(self) -> bool:
        return is_han(self.whole)


def parse_query(query: str) -> list[Term]:
    """The terms of a query, at most MAX_QUERY_TERMS; none for a query of only punctuation, spaces or
    stopwords. Nothing the user typed reaches a database's query syntax except as one of these tokens."""
    terms: list[Term] = []
    for run in runs((query or "")[:MAX_QUERY_CHARS]):
        words = tuple(query_words(run))
        if not words:
            continue  # stopwords only
        terms.append(Term(whole=run, words=words, grams=tuple(grams(run)[:-1] or grams(run)) if is_han(run) else ()))
    terms = terms[:MAX_QUERY_TERMS]
    if terms and not _known_word(terms[-1]):
        last = terms[-1]
        terms[-1] = Term(whole=last.whole, words=last.words, grams=last.grams, prefix=True)
    return terms


def _known_word(term: Term) -> bool:
    """A Chinese term that is one word of the dictionary (地震, 高血压) is complete: it is found as it is — the
    longer words that start with it are indexed with it too (search mode: 地震局 → 地震, 地震局) — and is not
    read as a prefix, which would have the database test every candidate's vector again (PostgreSQL's GIN
    rechecks prefix matches) for nothing. A word being typed (新能, taish) is still a prefix."""
    return term.han and len(term.words) == 1 and term.words[0] == term.whole and bool(tokenizer().FREQ.get(term.whole))
