"""``seir.markdown`` reuses one converter a thread: each text converts exactly as a new
converter would convert it, whatever was converted before it."""

import threading

import markdown

from seir import markdown as seir_markdown
from seir.markdown import render_markdown

TEXTS = [
    "*[NHS]: National Health Service\n\nThe NHS commissions us.",
    "The NHS again, with no abbreviation defined here.",
    "| Year | £ |\n| --- | ---: |\n| 1 | 40,000 |",
    "```\ncode <b>kept</b>\n```\n\nafter",
    "Term\n:   its definition\n\n1. one\n2. two\n\n* a\n* b",
    "Unclosed *emphasis and a [link](https://example.org",
    "## Money\n\n**Year 1**: *£40k*",
    "Ünïcødé — “quotes” and a tab\there",
]


def _fresh(text: str) -> str:
    """The text converted by a new converter of its own, as before converters were kept."""
    return markdown.markdown(
        text,
        extensions=["tables", "fenced_code", "sane_lists", "def_list", "abbr"],
        output_format="html",
    )


def test_each_text_converts_as_a_new_converter_would_whatever_came_before():
    # given every text converted by a converter of its own
    expected = [str(seir_markdown._sanitised(_fresh(text))) for text in TEXTS]

    # when they are converted one after another, twice over, by the reused converter
    got = [str(render_markdown(text)) for text in TEXTS + TEXTS]

    # then each is the same, the abbreviation defined by the first not leaking into others
    assert got == expected + expected
    assert '<abbr title="National Health Service">NHS</abbr>' in got[0]
    assert "<abbr" not in got[1]


def test_each_thread_has_its_own_converter():
    converters = []
    thread = threading.Thread(target=lambda: converters.append(seir_markdown._converter()))
    thread.start()
    thread.join()
    assert converters[0] is not seir_markdown._converter()
