"""Word-level comparison of two plan texts as a reader sees them (rendered Markdown), and
of two plan snapshots section by section.

Both texts are rendered and sanitised by ``plans.rendering`` first, then compared as a
stream of tags and words: the result is the newer text's HTML with each inserted run of
words in ``<ins>`` and each deleted run in ``<del>``. Deleted tags are dropped (their
words stay, struck through), so the markup is always the newer side's, and the whole
result is sanitised again before it reaches a page.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser

import nh3
from django.utils.safestring import SafeString, mark_safe

from .rendering import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, LINK_REL, URL_SCHEMES, render_markdown

# Whitespace runs, words (with inner apostrophes), and single punctuation marks.
_TOKENS = re.compile(r"\s+|\w+(?:['’]\w+)*|[^\w\s]")

EQUAL, INSERT, DELETE = "equal", "insert", "delete"

# What a screen reader hears around a change (the colour and strike-through are not said).
_MARKS = {
    INSERT: ('<ins class="diff-ins"><span class="visually-hidden">[inserted: </span>', "ins"),
    DELETE: ('<del class="diff-del"><span class="visually-hidden">[deleted: </span>', "del"),
}


@dataclass(frozen=True)
class _Token:
    text: str  # a tag as markup, or a word / space / mark as plain text
    is_tag: bool = False


class _Tokenizer(HTMLParser):
    """Sanitised HTML as tags and words."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[_Token] = []

    def handle_starttag(self, tag, attrs):
        attributes = "".join(f' {name}="{html.escape(value or "")}"' for name, value in attrs)
        self.tokens.append(_Token(f"<{tag}{attributes}>", is_tag=True))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.tokens.append(_Token(f"</{tag}>", is_tag=True))

    def handle_data(self, data):
        self.tokens.extend(_Token(t) for t in _TOKENS.findall(data))


# Tags inside a line of text: deleting one does not part the words either side.
_INLINE = {"strong", "em", "b", "i", "code", "a", "abbr", "sup", "sub"}


def _tag_name(token: _Token) -> str:
    return re.match(r"</?(\w+)", token.text).group(1)


def _tokens(markup: str) -> list[_Token]:
    tokenizer = _Tokenizer()
    tokenizer.feed(markup)
    tokenizer.close()
    return tokenizer.tokens


@dataclass(frozen=True)
class RenderedDiff:
    html: SafeString
    inserted_words: int
    deleted_words: int


def rendered_diff(old: str, new: str) -> RenderedDiff:
    """``old`` → ``new`` (Markdown) as the newer text's sanitised HTML with the changes
    marked; a replaced run shows its deletion, then its insertion."""
    a, b = _tokens(render_markdown(old)), _tokens(render_markdown(new))
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    out: list[str] = []
    counts = {INSERT: 0, DELETE: 0}

    def changed(op: str, tokens: list[_Token]) -> None:
        """A changed run: its words marked; an insertion keeps its tags, a deletion
        drops them (the markup stays the newer side's)."""
        run: list[str] = []

        def close() -> None:
            text = "".join(run)
            if op == DELETE:  # out of its blocks: line breaks would only mislead
                text = re.sub(r"\s+", " ", text)
            if text.strip():
                opening, tag = _MARKS[op]
                out.append(f'{opening}{html.escape(text)}<span class="visually-hidden">]</span>')
                out.append(f"</{tag}>")
                counts[op] += len(text.split())
            elif text:
                out.append(html.escape(text))
            run.clear()

        apart = False  # words of two deleted blocks stay apart
        for token in tokens:
            if not token.is_tag:
                if apart and run and not run[-1].isspace() and not token.text.isspace():
                    run.append(" ")
                apart = False
                run.append(token.text)
            elif op == INSERT:
                close()
                out.append(token.text)
            elif _tag_name(token) not in _INLINE:
                apart = True
        close()

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == EQUAL:
            out.extend(t.text if t.is_tag else html.escape(t.text) for t in b[j1:j2])
            continue
        if i2 > i1:
            changed(DELETE, a[i1:i2])
        if j2 > j1:
            changed(INSERT, b[j1:j2])
    clean = nh3.clean(
        "".join(out),
        tags=ALLOWED_TAGS | {"ins", "del", "span"},
        attributes={**ALLOWED_ATTRIBUTES, "ins": {"class"}, "del": {"class"}, "span": {"class"}},
        url_schemes=URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
    return RenderedDiff(
        html=mark_safe(clean.strip()),  # noqa: S308 - sanitised by nh3 just above
        inserted_words=counts[INSERT],
        deleted_words=counts[DELETE],
    )


@dataclass
class SectionDiff:
    code: str
    title: str
    order: int
    old: str
    new: str

    @property
    def changed(self) -> bool:
        return self.old != self.new

    @cached_property
    def rendered(self) -> RenderedDiff | None:
        return rendered_diff(self.old, self.new) if self.changed else None

    @property
    def inserted_words(self) -> int:
        return self.rendered.inserted_words if self.rendered else 0

    @property
    def deleted_words(self) -> int:
        return self.rendered.deleted_words if self.rendered else 0


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
        result.append(SectionDiff(code=code, title=title, order=order, old=old_body, new=new_body))
    return result
