"""The comparison shows the real changes, word by word."""

import re

import pytest
from django.urls import reverse

from plans import factories
from plans.diff import Segment, compare_sections, word_diff
from plans.tests.conftest import SUMMARY_V1, SUMMARY_V2


def test_word_diff_exact_segments():
    assert word_diff(SUMMARY_V1, SUMMARY_V2) == [
        Segment("equal", "Saheli runs sport"),
        Segment("insert", " and dry-slope skiing"),
        Segment("equal", " for women in Balsall Heath. We open on Mondays"),
        Segment("insert", " and Fridays"),
        Segment("equal", "."),
    ]


def test_replaced_words_show_deletion_then_insertion():
    assert word_diff("Ski trips twice a year.", "Ski trips once a year.") == [
        Segment("equal", "Ski trips "),
        Segment("delete", "twice"),
        Segment("insert", "once"),
        Segment("equal", " a year."),
    ]


def test_identical_and_empty_texts():
    assert word_diff("Same text.", "Same text.") == [Segment("equal", "Same text.")]
    assert word_diff("", "New") == [Segment("insert", "New")]
    assert word_diff("Old", "") == [Segment("delete", "Old")]


def test_compare_sections_marks_changed_and_unchanged_and_missing():
    old = [("a", "Alpha", 1, "same"), ("b", "Beta", 2, "old words here"), ("gone", "Gone", 3, "x")]
    new = [("a", "Alpha", 1, "same"), ("b", "Beta", 2, "new words here"), ("c", "Gamma", 4, "y")]
    diffs = compare_sections(old, new)
    assert [(d.code, d.changed) for d in diffs] == [
        ("a", False),
        ("b", True),
        ("gone", True),
        ("c", True),
    ]
    beta = diffs[1]
    assert beta.segments == [
        Segment("delete", "old"),
        Segment("insert", "new"),
        Segment("equal", " words here"),
    ]
    assert (beta.inserted_words, beta.deleted_words) == (1, 1)
    assert diffs[2].segments == [Segment("delete", "x")]
    assert diffs[3].segments == [Segment("insert", "y")]


def _ins_del(html: str) -> tuple[list[str], list[str]]:
    def texts(tag):
        found = re.findall(rf"<{tag} class=\"diff-{tag}\">(.*?)</{tag}>", html, re.S)
        return [re.sub(r"<span class=\"visually-hidden\">.*?</span>", "", f) for f in found]

    return texts("ins"), texts("del")


@pytest.mark.django_db
def test_compare_page_highlights_exact_changes(client, venture, entrepreneur, seir):
    # given: version 1, feedback, then version 2 with two summary edits and one risk rewrite
    factories.write(
        entrepreneur,
        venture,
        {"executive-summary": SUMMARY_V1, "risks": "Ski trips twice a year.", "team": "Parveen."},
    )
    v1 = factories.submit(entrepreneur, venture)
    factories.review(seir, v1, {"executive-summary": "Mention the skiing."})
    factories.write(
        entrepreneur,
        venture,
        {"executive-summary": SUMMARY_V2, "risks": "Ski trips once a year."},
    )
    factories.submit(entrepreneur, venture)
    client.force_login(entrepreneur)

    # when
    response = client.get(reverse("plans:compare", args=[venture.pk]), {"a": "1", "b": "2"})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    inserted, deleted = _ins_del(html)
    # the legend's sample, then the real changes in section order
    assert inserted == ["inserted text", " and dry-slope skiing", " and Fridays", "once"]
    assert deleted == ["deleted text", "twice"]
    assert "[inserted: </span> and dry-slope skiing" in html  # said, not only coloured
    assert "From version 1 to version 2: 2 sections changed, 13 in all." in html
    assert html.count('class="mb-2 diff-section is-unchanged"') == 11
    assert "8. Team &amp; staffing — unchanged" in html


@pytest.mark.django_db
def test_compare_draft_with_the_last_version(client, venture, entrepreneur):
    factories.write(entrepreneur, venture, {"risks": "Rain."})
    factories.submit(entrepreneur, venture)
    factories.write(entrepreneur, venture, {"risks": "Rain and snow."})
    client.force_login(entrepreneur)
    html = client.get(
        reverse("plans:compare", args=[venture.pk]), {"a": "1", "b": "draft"}
    ).content.decode()
    inserted, deleted = _ins_del(html)
    assert inserted[1:] == [" and snow"]
    assert deleted[1:] == []
    assert "From version 1 to the current draft: 1 section changed" in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "params",
    [
        {"a": "1", "b": "1"},
        {"a": "99", "b": "1"},
        {"a": "-1", "b": "x"},
        {"a": "9" * 40, "b": "1"},
        {"a": "1\x00", "b": "1"},
        {"a": "é" * 5000, "b": "1"},
    ],
)
def test_compare_with_bad_choices_is_a_400(client, submitted, venture, entrepreneur, params):
    client.force_login(entrepreneur)
    response = client.get(reverse("plans:compare", args=[venture.pk]), params)
    assert response.status_code == 400
