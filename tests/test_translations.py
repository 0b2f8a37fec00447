"""The English catalogue: every entry translated and none left fuzzy (gettext skips a fuzzy entry when it compiles
the catalogue, so its string would show in Chinese in the English interface)."""

from __future__ import annotations

from pathlib import Path

CATALOGUE = Path(__file__).resolve().parent.parent / "src" / "xinghuo" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _entries() -> list[list[str]]:
    blocks, block = [], []
    for line in CATALOGUE.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if block:
                blocks.append(block)
            block = []
        else:
            block.append(line)
    if block:
        blocks.append(block)
    return blocks[1:]  # the header


def _translation(block: list[str]) -> str:
    """The text of msgstr (or of the last msgstr[n]), continuation lines included."""
    text, inside = "", False
    for line in block:
        if line.startswith("msgstr"):
            text, inside = line.split(" ", 1)[1].strip('"'), True
        elif inside and line.startswith('"'):
            text += line.strip('"')
        else:
            inside = False
    return text


def test_no_entry_is_fuzzy():
    fuzzy = [b for b in _entries() if any(line.startswith("#,") and "fuzzy" in line for line in b)]

    assert fuzzy == []


def test_every_entry_is_translated():
    empty = [next(line for line in b if line.startswith("msgid")) for b in _entries() if not b[0].startswith("#~") and not _translation(b)]

    assert empty == []
