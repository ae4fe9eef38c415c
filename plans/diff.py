"""Word-level comparison of two texts, and of two plan snapshots section by section."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

# Whitespace runs, words (with inner apostrophes), and single punctuation marks.
_TOKENS = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]")

EQUAL, INSERT, DELETE = "equal", "insert", "delete"


@dataclass(frozen=True)
class Segment:
    op: str  # "equal" | "insert" | "delete"
    text: str


def _tokens(text: str) -> list[str]:
    return _TOKENS.findall(text.replace("\r\n", "\n"))


def word_diff(old: str, new: str) -> list[Segment]:
    """``old`` → ``new`` as segments; a replaced run shows its deletion, then its insertion.

    Words are compared whole (whitespace runs are tokens too, so line breaks survive);
    adjacent segments of the same kind are merged.
    """
    a, b = _tokens(old or ""), _tokens(new or "")
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    segments: list[Segment] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if segments and segments[-1].op == op:
            segments[-1] = Segment(op, segments[-1].text + text)
        else:
            segments.append(Segment(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add(EQUAL, "".join(a[i1:i2]))
        else:
            if i2 > i1:
                add(DELETE, "".join(a[i1:i2]))
            if j2 > j1:
                add(INSERT, "".join(b[j1:j2]))
    return segments


@dataclass
class SectionDiff:
    code: str
    title: str
    order: int
    old: str
    new: str
    segments: list[Segment] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @property
    def inserted_words(self) -> int:
        return sum(len(s.text.split()) for s in self.segments if s.op == INSERT)

    @property
    def deleted_words(self) -> int:
        return sum(len(s.text.split()) for s in self.segments if s.op == DELETE)


def compare_sections(
    old: list[tuple[str, str, int, str]], new: list[tuple[str, str, int, str]]
) -> list[SectionDiff]:
    """Compare two snapshots given as (code, title, order, body) rows. A section only one
    side has compares with an empty text; the result follows the newer side's order."""
    old_by_code = {code: (title, order, body) for code, title, order, body in old}
    new_by_code = {code: (title, order, body) for code, title, order, body in new}
    codes = sorted(
        set(old_by_code) | set(new_by_code),
        key=lambda c: ((new_by_code.get(c) or old_by_code[c])[1], c),
    )
    result = []
    for code in codes:
        title, order, new_body = new_by_code.get(code) or (*old_by_code[code][:2], "")
        old_body = old_by_code[code][2] if code in old_by_code else ""
        diff = SectionDiff(code=code, title=title, order=order, old=old_body, new=new_body)
        if diff.changed:
            diff.segments = word_diff(old_body, new_body)
        result.append(diff)
    return result
