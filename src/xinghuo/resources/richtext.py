"""The body of an article: HTML as the editor (or a paste from Word) gives it, cleaned by nh3 (the Rust ammonia
sanitiser) down to the tags an article needs — no scripts, styles, event handlers or foreign frames. Plain text
(no tags at all) becomes paragraphs."""

from __future__ import annotations

import html
import re

import nh3

TAGS = {"p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "sub", "sup", "blockquote", "ul", "ol", "li",
        "table", "thead", "tbody", "tr", "th", "td", "a", "figure", "figcaption", "hr", "code", "pre"}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "th": {"colspan", "rowspan"}, "td": {"colspan", "rowspan"}}
HAS_TAG = re.compile(r"<[a-zA-Z][^>]*>")


def clean(body: str) -> str:
    """Safe HTML for an article's page. Links keep http(s) and mailto only, and open without the referrer."""
    body = (body or "").strip()
    if not body:
        return ""
    if not HAS_TAG.search(body):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\r\n\s*\r\n", body) if p.strip()]
        return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return nh3.clean(
        body, tags=TAGS, attributes=ATTRIBUTES, url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow"
    )
