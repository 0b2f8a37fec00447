"""The red-line check's helper: the passages of a resource where a term of the lexicon (底线、红线词库) occurs, with
the words around them, for the reviewer to read. It flags; it never decides — a rebuttal of 量子波动速读 rightly
names it."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from html import unescape

from xinghuo.resources.models import RedLineCategory, RedLineTerm

CONTEXT = 24  # characters shown on each side of a hit
BLOCK_TAGS = re.compile(r"</?(?:p|br|h[1-6]|li|ul|ol|td|th|tr|table|div|blockquote|hr|figure|figcaption|pre)\b[^>]*>", re.I)
TAGS = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Flag:
    term: str
    category: str
    category_label: str
    where: str  # 标题, 摘要 or 正文
    passage: str  # the words around the hit, the term in 【】

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def plain(html: str) -> str:
    """Text of an HTML body, for reading and matching: block tags part words, inline tags vanish (so that 包<b>治</b>
    百病 still reads 包治百病), entities decoded, whitespace folded."""
    return re.sub(r"\s+", " ", unescape(TAGS.sub("", BLOCK_TAGS.sub(" ", html or "")))).strip()


def flags(*, title: str, summary: str, body: str, limit: int = 50) -> list[Flag]:
    """Every occurrence of an active term, in the order of the text (at most `limit`)."""
    labels = dict(RedLineCategory.choices)
    terms = list(RedLineTerm.objects.filter(is_active=True).values_list("term", "category"))
    found: list[Flag] = []
    for where, text in (("标题", title or ""), ("摘要", summary or ""), ("正文", plain(body))):
        hits = []
        for term, category in terms:
            start = text.find(term)
            while start != -1:
                hits.append((start, term, category))
                start = text.find(term, start + len(term))
        for start, term, category in sorted(hits):
            end = start + len(term)
            before = ("…" if start > CONTEXT else "") + text[max(0, start - CONTEXT) : start]
            after = text[end : end + CONTEXT] + ("…" if end + CONTEXT < len(text) else "")
            found.append(Flag(term, category, str(labels.get(category, category)), where, f"{before}【{term}】{after}"))
            if len(found) >= limit:
                return found
    return found
