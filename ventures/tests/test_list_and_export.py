"""The venture list's filters and sorting, and the CSV export of the same filtered set."""

import csv
import datetime
import io
import re
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from ventures import selectors, services
from ventures.factories import VentureFactory
from ventures.models import Stage, StageChange, Venture, VentureStatus

pytestmark = pytest.mark.django_db

CSV_HEADER = [
    "id",
    "name",
    "programme",
    "stage",
    "status",
    "origin",
    "nhs_spinout",
    "legal_form",
    "lead",
    "seir",
    "area",
    "entered_stage",
    "days_in_stage",
    "updated",
]


def list_ids(client, query: str) -> list[int]:
    """Venture ids on every page of the list, in page order."""
    ids, page = [], 1
    while True:
        html = client.get(f"{reverse('ventures:list')}?{query}&page={page}").content.decode()
        ids += [int(pk) for pk in re.findall(r'<td><a href="/ventures/(\d+)/">', html)]
        match = re.search(r"Page (\d+) of (\d+)", html)
        if not match or match.group(1) == match.group(2):
            return ids
        page += 1


def csv_rows(client, query: str) -> list[list[str]]:
    response = client.get(f"{reverse('ventures:export')}?{query}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="ventures-{timezone.localdate().isoformat()}.csv"'
    )
    assert response.streaming
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def filtered_ids(user, query: str) -> list[int]:
    venture_filter = selectors.venture_list(user=user, filters=QueryDict(query))
    return list(venture_filter.qs.values_list("pk", flat=True))


@pytest.fixture
def catalogue(programme, seir, entrepreneur, legal_forms, days_ago):
    """31 ventures matching stage=idea, status=active, q=zebrafinch (one named with a
    formula), and decoys that each miss exactly one of the three filters."""
    matching = [
        VentureFactory(
            programme=programme,
            stage_code="idea",
            seir=seir,
            name=f"Zebrafinch project {i:02d}",
            history=days_ago(40 - i),
        )
        for i in range(29)
    ]
    matching.append(
        VentureFactory(
            programme=programme,
            stage_code="idea",
            seir=seir,
            name="Birdsong",
            summary="Zebrafinch song recording for wellbeing.",
            history=days_ago(3),
        )
    )
    matching.append(
        VentureFactory(
            programme=programme,
            stage_code="idea",
            seir=seir,
            lead=entrepreneur,
            name='=HYPERLINK("http://x")',
            area="Zebrafinch Lane",
            legal_form=legal_forms["cic"],
            history=days_ago(12),
        )
    )
    VentureFactory(programme=programme, stage_code="idea", seir=seir, name="Plain idea")
    VentureFactory(programme=programme, stage_code="startup", seir=seir, name="Zebrafinch start-up")
    VentureFactory(
        programme=programme,
        stage_code="idea",
        seir=seir,
        name="Zebrafinch paused",
        status=VentureStatus.PAUSED,
    )
    return matching


QUERY = "stage=idea&status=active&q=zebraFINCH"


def test_csv_has_exactly_the_list_pages_ventures_in_the_same_order(client, seir, catalogue):
    # given
    client.force_login(seir)

    # when
    rows = csv_rows(client, QUERY)
    on_pages = list_ids(client, QUERY)

    # then
    assert rows[0] == CSV_HEADER
    exported = [int(row[0]) for row in rows[1:]]
    assert len(on_pages) == 31  # more than one page of 25
    assert exported == on_pages
    assert exported == filtered_ids(seir, QUERY)
    assert set(exported) == {v.pk for v in catalogue}


@pytest.mark.parametrize(
    ("query", "count"),
    [("sort=-entered", 34), ("sort=name&stage=idea", 33), ("sort=-name", 34), ("", 34)],
)
def test_csv_follows_the_lists_sort_order(client, seir, catalogue, query, count):
    client.force_login(seir)

    exported = [int(row[0]) for row in csv_rows(client, query)[1:]]

    assert exported == list_ids(client, query)
    assert len(exported) == count


def test_csv_row_values_and_formula_escaping(client, seir, catalogue, entrepreneur):
    # given: the venture named '=HYPERLINK(...)', in Idea for 12 days
    client.force_login(seir)
    venture = catalogue[-1]
    venture.refresh_from_db()
    entered = StageChange.objects.get(venture=venture).changed_at

    # when
    rows = {row[0]: row for row in csv_rows(client, QUERY)[1:]}

    # then
    assert rows[str(venture.pk)] == [
        str(venture.pk),
        '\'=HYPERLINK("http://x")',
        "Birmingham East and North SEiR programme",
        "Idea",
        "Active",
        "Community",
        "no",
        "Community interest company (CIC)",
        "Parveen Akhtar",
        "Samira Patel",
        "Zebrafinch Lane",
        timezone.localtime(entered).date().isoformat(),
        "12",
        timezone.localtime(venture.updated_at).isoformat(timespec="seconds"),
    ]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@"])
def test_csv_neutralises_formula_prefixes(client, programme, seir, prefix):
    # given
    venture = VentureFactory(
        programme=programme, seir=seir, name=f"{prefix}1+2", area=f"{prefix}cmd"
    )
    client.force_login(seir)

    # when
    [header, row] = csv_rows(client, "")

    # then
    assert row[0] == str(venture.pk)
    assert row[1] == f"'{prefix}1+2"
    assert row[10] == f"'{prefix}cmd"


# --- filters -------------------------------------------------------------------------


@pytest.fixture
def ages(programme, seir, stages, days_ago):
    """old: entered Idea 40 days ago; moved: added 40 days ago, moved 5 days ago;
    recent: added 10 days ago."""
    old = VentureFactory(
        programme=programme, stage_code="idea", seir=seir, name="Old", history=days_ago(40)
    )
    moved = VentureFactory(
        programme=programme, stage_code="idea", seir=seir, name="Moved", history=days_ago(40)
    )
    services.venture_move(
        actor=seir,
        venture=moved,
        to_stage=stages["startup"],
        override_reason="Test history.",
        at=days_ago(5),
    )
    recent = VentureFactory(
        programme=programme, stage_code="idea", seir=seir, name="Recent", history=days_ago(10)
    )
    return {"old": old.pk, "moved": moved.pk, "recent": recent.pk}


@pytest.mark.parametrize(
    ("days", "expected"),
    [("30", ["old"]), ("7", ["old", "recent"]), ("0", ["moved", "old", "recent"]), ("41", [])],
)
def test_stale_days_uses_the_latest_stage_change(seir, ages, days, expected):
    assert filtered_ids(seir, f"stale_days={days}") == [ages[name] for name in expected]


def test_stale_days_through_the_list_page(client, seir, ages):
    client.force_login(seir)

    assert list_ids(client, "stale_days=30") == [ages["old"]]


@pytest.mark.parametrize("days", ["1000000", "99999999999", "abc"])
def test_out_of_range_stale_days_is_a_form_error_not_a_crash(client, seir, ages, days):
    # given: a hand-edited or mistyped URL
    client.force_login(seir)

    # when
    list_response = client.get(reverse("ventures:list"), {"stale_days": days})
    csv_response = client.get(reverse("ventures:export"), {"stale_days": days})

    # then
    assert list_response.status_code == 200
    assert csv_response.status_code == 200


def test_stage_filter_uses_the_code_across_programmes(
    administrator, programme, other_programme, seir
):
    # given: start-up ventures in two programmes (each programme has its own Stage rows)
    here = VentureFactory(programme=programme, stage_code="startup", name="Here")
    there = VentureFactory(programme=other_programme, stage_code="startup", name="There")
    VentureFactory(programme=programme, stage_code="idea", name="Not yet")

    # when / then
    assert filtered_ids(administrator, "stage=startup") == [here.pk, there.pk]
    assert filtered_ids(seir, "stage=startup") == [here.pk]


def test_the_stage_filter_finds_a_programme_started_after_the_list_was_last_read(
    administrator, programme
):
    """The filter writes in the ids of the stages of that code the reference data holds,
    and takes any newer stage of that code too (``ventures.reference.in_stage_q``): a
    programme (and its stages) saved since is in the very next list, and so is a stage
    no cache heard of."""
    from accounts.factories import ProgrammeFactory
    from accounts.models import Programme

    here = VentureFactory(programme=programme, stage_code="startup", name="Here")
    assert filtered_ids(administrator, "stage=startup") == [here.pk]

    later = ProgrammeFactory(name="Started later")
    there = VentureFactory(programme=later, stage_code="startup", name="There")

    assert filtered_ids(administrator, "stage=startup") == [here.pk, there.pk]
    # a stage written without Django's signals (another database client, a bulk load):
    # the reference cache has not heard of it, the filter still finds its ventures
    loaded = ProgrammeFactory.build(name="Loaded")
    loaded.end_date = loaded.start_date + datetime.timedelta(days=365)
    Programme.objects.bulk_create([loaded])
    (quiet,) = Stage.objects.bulk_create(
        [Stage(programme=loaded, code="startup", name="Start-up", order=3)]
    )
    moved = VentureFactory(programme=later, stage_code="idea", name="Quiet")
    Venture.objects.filter(pk=moved.pk).update(programme=loaded, stage=quiet)
    assert filtered_ids(administrator, "stage=startup") == [here.pk, moved.pk, there.pk]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("heath", ["by_area"]),
        ("LONELINESS", ["by_need"]),
        ("carers", ["by_beneficiaries"]),
        ("gym", ["by_name", "by_summary"]),
        ("   ", ["by_area", "by_beneficiaries", "by_name", "by_need", "by_summary"]),
        ("nothing-matches-this", []),
    ],
)
def test_q_searches_name_summary_need_area_and_beneficiaries(programme, seir, q, expected):
    # given
    plain = {"summary": "-", "need": "-", "beneficiaries": "-", "area": "-"}
    made = {
        "by_name": VentureFactory(programme=programme, name="Nechells Green Gym", **plain),
        "by_summary": VentureFactory(
            programme=programme, name="Outdoors", **{**plain, "summary": "A gym in a park."}
        ),
        "by_need": VentureFactory(
            programme=programme, name="Sheds", **{**plain, "need": "Loneliness in older men."}
        ),
        "by_area": VentureFactory(
            programme=programme, name="Saheli", **{**plain, "area": "Balsall Heath"}
        ),
        "by_beneficiaries": VentureFactory(
            programme=programme, name="Respite", **{**plain, "beneficiaries": "Unpaid carers"}
        ),
    }

    # when
    found = filtered_ids(seir, urlencode({"q": q}))

    # then: default order is by name
    assert found == sorted(
        (made[k].pk for k in expected), key=lambda pk: Venture.objects.get(pk=pk).name
    )


def test_sort_by_name_and_by_entered(seir, programme, days_ago):
    # given
    charlie = VentureFactory(programme=programme, name="Charlie", history=days_ago(30))
    alpha = VentureFactory(programme=programme, name="Alpha", history=days_ago(5))
    bravo = VentureFactory(programme=programme, name="Bravo", history=days_ago(60))

    # when / then
    assert filtered_ids(seir, "") == [alpha.pk, bravo.pk, charlie.pk]
    assert filtered_ids(seir, "sort=name") == [alpha.pk, bravo.pk, charlie.pk]
    assert filtered_ids(seir, "sort=-name") == [charlie.pk, bravo.pk, alpha.pk]
    assert filtered_ids(seir, "sort=-entered") == [alpha.pk, charlie.pk, bravo.pk]
    assert filtered_ids(seir, "sort=entered") == [bravo.pk, charlie.pk, alpha.pk]


def test_sort_ties_are_broken_by_name_then_id(seir, programme, days_ago):
    # given: three ventures that entered their stage at the same moment
    moment = days_ago(7)
    b = VentureFactory(programme=programme, name="Same", history=moment)
    a = VentureFactory(programme=programme, name="Earlier name", history=moment)
    c = VentureFactory(programme=programme, name="Same", history=moment)

    assert filtered_ids(seir, "sort=-entered") == [a.pk, b.pk, c.pk]


# --- search ignores case and accents ----------------------------------------------------


@pytest.fixture
def accented(programme, seir):
    plain = {"summary": "-", "need": "-", "beneficiaries": "-", "area": "-", "seir": seir}
    return {
        "cafe": VentureFactory(programme=programme, name="Café Élan", **plain),
        "arzte": VentureFactory(
            programme=programme, name="Doctors", **{**plain, "summary": "Ärzte für Kinder."}
        ),
        "heath": VentureFactory(programme=programme, name="Saheli", **{**plain, "area": "HEATH"}),
        "decoy": VentureFactory(programme=programme, name="Caff corner", **plain),
    }


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("cafe elan", ["cafe"]),
        ("CAFÉ", ["cafe"]),
        ("élan café", ["cafe"]),  # every word, in any order
        ("cafe nothing", []),
        ("arzte", ["arzte"]),
        ("ÄRZTE KINDER", ["arzte"]),
        ("heath", ["heath"]),
        ("Héath", ["heath"]),
        ("caf", ["decoy", "cafe"]),
    ],
)
def test_search_ignores_case_and_accents_in_name_summary_and_area(seir, accented, q, expected):
    found = filtered_ids(seir, urlencode({"q": q}))

    assert sorted(found) == sorted(accented[name].pk for name in expected)


def test_search_follows_profile_edits_and_reverts(seir, venture):
    # given
    [change] = services.venture_update_profile(
        actor=seir, venture=venture, data={"area": "Sparkbrook"}, expected_version=venture.version
    )

    # then: found by the new area, not the old one
    assert filtered_ids(seir, "q=sparkbrook") == [venture.pk]
    assert filtered_ids(seir, "q=balsall") == []

    # when
    services.venture_revert_change(actor=seir, change=change)

    # then
    assert filtered_ids(seir, "q=balsall") == [venture.pk]
    assert filtered_ids(seir, "q=sparkbrook") == []


@pytest.mark.parametrize("q", ["x" * 5000, "a\x00b", "% _ \\", " ".join(["w"] * 50)])
def test_hostile_search_answers_plainly(client, seir, accented, q):
    client.force_login(seir)

    response = client.get(reverse("ventures:list"), {"q": q})

    assert response.status_code == 200
    assert filtered_ids(seir, urlencode({"q": "% _"})) == []


# --- the export streams -------------------------------------------------------------------


def test_export_streams_the_header_before_reading_any_venture(client, seir, catalogue):
    # given
    client.force_login(seir)

    # when
    response = client.get(reverse("ventures:export"), {"q": "zebrafinch"})
    chunks = iter(response.streaming_content)

    # then: the first chunk is the header line alone, then one line per venture
    assert response.streaming
    assert next(chunks).decode() == ",".join(CSV_HEADER) + "\r\n"
    assert len(list(chunks)) == len(filtered_ids(seir, "q=zebrafinch")) == 33


def test_export_of_a_venture_without_lead_or_legal_form(client, programme, seir, days_ago):
    # given: a SEiR known only by username, no lead, no legal form
    seir.first_name = seir.last_name = ""
    seir.save(update_fields=["first_name", "last_name"])
    venture = VentureFactory(
        programme=programme, seir=seir, name="Bare", area="", history=days_ago(3)
    )
    client.force_login(seir)

    # when
    [_, row] = csv_rows(client, "")

    # then
    assert row == [
        str(venture.pk),
        "Bare",
        "Birmingham East and North SEiR programme",
        "Idea",
        "Active",
        "Community",
        "no",
        "",
        "",
        "seir",
        "",
        timezone.localtime(days_ago(3)).date().isoformat(),
        "3",
        timezone.localtime(Venture.objects.get(pk=venture.pk).updated_at).isoformat(
            timespec="seconds"
        ),
    ]


def test_filter_form_marks_an_invalid_field_and_ties_its_error(client, seir, ages):
    client.force_login(seir)

    html = client.get(reverse("ventures:list"), {"stale_days": "abc"}).content.decode()

    assert (
        'class="form-control is-invalid" aria-invalid="true" '
        'aria-describedby="id_stale_days_errors"' in html
    )
    assert '<div class="invalid-feedback d-block" id="id_stale_days_errors">' in html
    assert '<label class="form-label" for="id_stale_days">' in html


def test_filter_form_keeps_the_chosen_options_selected(client, seir, ages, legal_forms):
    client.force_login(seir)

    html = client.get(
        reverse("ventures:list"), {"stage": "startup", "legal_form": legal_forms["cic"].pk}
    ).content.decode()

    assert '<option value="startup" selected>Start-up</option>' in html
    assert f'<option value="{legal_forms["cic"].pk}" selected>' in html
    assert '<option value="" selected>Any status</option>' in html
