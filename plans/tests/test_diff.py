"""The comparison shows the real changes, word by word."""

import re

import pytest
from django.urls import reverse

from plans import factories
from plans.diff import compare_sections, rendered_diff
from plans.tests.conftest import SUMMARY_V1, SUMMARY_V2

HIDDEN = '<span class="visually-hidden">{}</span>'
INS = '<ins class="diff-ins">' + HIDDEN.format("[inserted: ") + "{}" + HIDDEN.format("]") + "</ins>"
DEL = '<del class="diff-del">' + HIDDEN.format("[deleted: ") + "{}" + HIDDEN.format("]") + "</del>"


def test_rendered_diff_marks_the_inserted_words_in_the_rendered_text():
    diff = rendered_diff(SUMMARY_V1, SUMMARY_V2)
    assert diff.html == (
        "<p>Saheli runs sport"
        + INS.format(" and dry-slope skiing")
        + " for women in Balsall Heath. We open on Mondays"
        + INS.format(" and Fridays")
        + ".</p>"
    )
    assert (diff.inserted_words, diff.deleted_words) == (5, 0)


def test_replaced_words_show_deletion_then_insertion():
    diff = rendered_diff("Ski trips twice a year.", "Ski trips once a year.")
    assert diff.html == "<p>Ski trips " + DEL.format("twice") + INS.format("once") + " a year.</p>"
    assert (diff.inserted_words, diff.deleted_words) == (1, 1)


def test_markdown_is_shown_rendered_not_raw():
    # issue 16, item 11: a table compares as a table, bold as bold, never as | and **
    old = "**Income** by year:\n\n| Year | Income |\n|---|---|\n| 1 | £40,000 |"
    new = "**Income** by year:\n\n| Year | Income |\n|---|---|\n| 1 | £34,000 |"
    diff = rendered_diff(old, new)
    assert "<p><strong>Income</strong> by year:</p>" in diff.html
    assert "<td>£" + DEL.format("40") + INS.format("34") + ",000</td>" in diff.html
    assert "|" not in diff.html and "**" not in diff.html
    assert (diff.inserted_words, diff.deleted_words) == (1, 1)


def test_a_deleted_list_item_keeps_its_words_and_drops_its_tags():
    diff = rendered_diff("- one\n- two", "- one")
    assert diff.html == "<ul>\n<li>one</li>\n" + DEL.format("two ") + "</ul>"
    assert (diff.inserted_words, diff.deleted_words) == (0, 1)


def test_inserted_markup_is_sanitised():
    diff = rendered_diff(
        "Safe.", 'Safe. <script>alert(1)</script> [go](javascript:alert(1)) <img src="x">'
    )
    assert "<script" not in diff.html and "javascript:" not in diff.html
    assert "<img" not in diff.html
    assert diff.html.startswith("<p>Safe.")


def test_a_formatting_only_change_has_no_words_changed():
    diff = rendered_diff("**Ski** trips", "Ski trips")
    assert diff.html == "<p>Ski trips</p>"
    assert (diff.inserted_words, diff.deleted_words) == (0, 0)


def test_identical_and_empty_texts():
    assert rendered_diff("Same text.", "Same text.").html == "<p>Same text.</p>"
    assert rendered_diff("", "New").html == "<p>" + INS.format("New") + "</p>"
    assert rendered_diff("Old", "").html == DEL.format("Old")


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
    assert diffs[0].rendered is None
    beta = diffs[1]
    assert beta.rendered.html == "<p>" + DEL.format("old") + INS.format("new") + " words here</p>"
    assert (beta.inserted_words, beta.deleted_words) == (1, 1)
    assert diffs[2].rendered.html == DEL.format("x")
    assert diffs[3].rendered.html == "<p>" + INS.format("y") + "</p>"


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
