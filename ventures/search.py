"""Search that ignores case and accents, the same on PostgreSQL and SQLite.

Each venture keeps ``search_text``: its searched fields folded to lower case without
accents (``Venture.save`` and the bulk import keep it). A query is folded the same
way and every word must appear. On PostgreSQL a trigram GIN index (pg_trgm, see
migration 0006) answers ``LIKE '%word%'`` without reading every row; SQLite scans
the one narrow column.
"""

from __future__ import annotations

import unicodedata

from django.db.models import Q

SEARCHED_FIELDS = ("name", "summary", "need", "beneficiaries", "area")
MAX_WORDS = 8
MAX_WORD_LENGTH = 100


def fold(text: str) -> str:
    """Lower case, accents removed: "Café ÉLAN" -> "cafe elan"."""
    if text.isascii():  # the common case, and casefold() is lower() for ASCII
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_document(venture) -> str:
    return "\n".join(fold(getattr(venture, name) or "") for name in SEARCHED_FIELDS)


def search_q(value: str) -> Q | None:
    """Every word of ``value`` (at most MAX_WORDS of them) must appear; None for no words."""
    words = [w[:MAX_WORD_LENGTH] for w in fold(value.replace("\x00", "")).split()][:MAX_WORDS]
    if not words:
        return None
    q = Q()
    for word in words:
        q &= Q(search_text__contains=word)
    return q
