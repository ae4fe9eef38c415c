"""Funding application services: lifecycle as data, money exact, refusals write nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from events.models import Event
from funding import services
from funding.factories import FundFactory
from funding.models import ApplicationStatus, Fund, FundingApplication
from funding.selectors import (
    application_list_for_venture,
    funding_summary_for_programme,
    funding_totals_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def seif():
    return Fund.objects.get(code="seif")


@pytest.fixture
def rif():
    return Fund.objects.get(code="rif")


def add(actor, venture, fund, amount="5000.00", **kwargs):
    return services.application_create(
        actor=actor,
        venture=venture,
        fund=fund,
        purpose=kwargs.pop("purpose", "Set-up costs"),
        amount_requested=Decimal(amount),
        **kwargs,
    )


def test_default_funds_are_seeded_as_reference_data():
    assert list(Fund.objects.values_list("code", flat=True)) == [
        "seif",
        "rif",
        "unltd",
        "big-society-capital",
        "icrf",
        "local-grant",
    ]
    assert Fund.objects.get(code="seif").maximum == Decimal("20000.00")


def test_the_team_adds_an_application_and_one_event_is_recorded(entrepreneur, venture, seif):
    application = add(entrepreneur, venture, seif, "12500.50", purpose="  Pilot staff  ")
    assert application.status == ApplicationStatus.DRAFTING
    assert application.funding_type == "grant"  # the fund's usual type
    assert application.purpose == "Pilot staff"
    event = Event.objects.filter(kind__startswith="funding.").get()
    assert event.kind == "funding.application_added"
    assert event.venture_id == venture.pk
    assert event.actor == entrepreneur
    assert event.data["amount_requested"] == "12500.50"


@pytest.mark.parametrize("who", ["manager", "other_entrepreneur", "commissioner"])
def test_people_without_edit_access_cannot_add(request, who, venture, seif):
    with pytest.raises(PermissionDenied):
        add(request.getfixturevalue(who), venture, seif)
    assert FundingApplication.objects.count() == 0
    assert Event.objects.filter(kind__startswith="funding.").count() == 0


def test_an_ask_above_the_funds_maximum_is_refused_with_nothing_saved(seir, venture, seif):
    with pytest.raises(ValidationError) as error:
        add(seir, venture, seif, "20000.01")
    assert error.value.message_dict == {
        "amount_requested": [
            "Social Enterprise Investment Fund (SEIF) gives at most £20,000.00 to one application."
        ]
    }
    assert FundingApplication.objects.count() == 0
    assert Event.objects.filter(kind__startswith="funding.").count() == 0


def test_a_retired_fund_takes_no_new_applications(seir, venture, seif):
    seif.is_active = False
    seif.save()
    with pytest.raises(ValidationError):
        add(seir, venture, seif)
    assert FundingApplication.objects.count() == 0


def test_document_links_must_be_web_links(seir, venture, rif):
    with pytest.raises(ValidationError) as error:
        add(seir, venture, rif, documents="https://example.org/plan.pdf\njavascript:alert(1)")
    assert "Line 2 is not a web link" in error.value.message_dict["documents"][0]
    assert FundingApplication.objects.count() == 0


def move(actor, application, to, **kwargs):
    return services.application_set_status(
        actor=actor, application=application, to_status=to, **kwargs
    )


def test_the_whole_lifecycle_to_an_award(entrepreneur, seir, venture, seif):
    application = add(entrepreneur, venture, seif, "15000.00")
    move(entrepreneur, application, "submitted", on=datetime.date(2026, 3, 1))
    move(seir, application, "under_review")
    move(
        seir,
        application,
        "awarded",
        amount_awarded=Decimal("12000.00"),
        on=datetime.date(2026, 5, 2),
    )
    application.refresh_from_db()
    assert application.status == "awarded"
    assert application.submitted_on == datetime.date(2026, 3, 1)
    assert application.decision_date == datetime.date(2026, 5, 2)
    assert application.amount_awarded == Decimal("12000.00")
    assert list(
        Event.objects.filter(kind__startswith="funding.")
        .order_by("id")
        .values_list("kind", flat=True)
    ) == [
        "funding.application_added",
        "funding.status_changed",
        "funding.status_changed",
        "funding.status_changed",
    ]
    assert (
        Event.objects.filter(kind__startswith="funding.").order_by("-id").first().data["to"]
        == "awarded"
    )


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        ([], "awarded"),  # a draft has not gone to the funder
        ([], "under_review"),
        (["submitted", "declined"], "submitted"),  # decisions are final
        (["withdrawn"], "submitted"),
        (["submitted", "awarded"], "withdrawn"),
    ],
)
def test_moves_not_in_the_table_are_refused_and_write_nothing(seir, venture, rif, path, refused):
    application = add(seir, venture, rif)
    for status in path:
        move(
            seir,
            application,
            status,
            **({"amount_awarded": Decimal("1")} if status == "awarded" else {}),
        )
    before = (
        FundingApplication.objects.values().get(pk=application.pk),
        Event.objects.filter(kind__startswith="funding.").count(),
    )
    with pytest.raises(services.FundingError):
        move(seir, application, refused)
    assert (
        FundingApplication.objects.values().get(pk=application.pk),
        Event.objects.filter(kind__startswith="funding.").count(),
    ) == before


def test_an_award_needs_its_amount_within_the_funds_maximum(seir, venture, seif):
    application = add(seir, venture, seif)
    move(seir, application, "submitted")
    with pytest.raises(ValidationError) as error:
        move(seir, application, "awarded")
    assert error.value.message_dict == {"amount_awarded": ["Give the amount awarded."]}
    with pytest.raises(ValidationError):
        move(seir, application, "awarded", amount_awarded=Decimal("20000.01"))
    application.refresh_from_db()
    assert application.status == "submitted"
    assert application.amount_awarded is None


def test_a_stale_page_cannot_move_an_application_twice(seir, venture, rif):
    application = add(seir, venture, rif)
    move(seir, application, "submitted", expected_status="drafting")
    stale = FundingApplication.objects.get(pk=application.pk)
    with pytest.raises(services.FundingError, match="already submitted"):
        move(seir, stale, "withdrawn", expected_status="drafting")
    assert FundingApplication.objects.get(pk=application.pk).status == "submitted"


def test_a_decision_cannot_predate_the_submission(seir, venture, rif):
    application = add(seir, venture, rif)
    move(seir, application, "submitted", on=datetime.date(2026, 3, 1))
    with pytest.raises(ValidationError):
        move(seir, application, "declined", on=datetime.date(2026, 2, 1))
    assert FundingApplication.objects.get(pk=application.pk).status == "submitted"


def test_a_manager_cannot_change_status(manager, seir, venture, rif):
    application = add(seir, venture, rif)
    with pytest.raises(PermissionDenied):
        move(manager, application, "submitted")
    assert FundingApplication.objects.get(pk=application.pk).status == "drafting"


def update(actor, application, data, version=None):
    return services.application_update(
        actor=actor,
        application=application,
        data=data,
        expected_version=application.version if version is None else version,
    )


def test_an_edit_writes_only_what_changed(entrepreneur, venture, rif):
    application = add(entrepreneur, venture, rif, "900.00", notes="first")
    changed = update(
        entrepreneur, application, {"amount_requested": Decimal("950.00"), "notes": "first"}
    )
    assert changed == ["amount_requested"]
    event = (
        Event.objects.filter(kind__startswith="funding.")
        .filter(kind="funding.application_edited")
        .get()
    )
    assert event.data["changes"] == [
        {"field": "amount requested", "old": "£900.00", "new": "£950.00"}
    ]


def test_terms_are_fixed_after_submission_but_notes_are_not(entrepreneur, venture, rif):
    application = add(entrepreneur, venture, rif)
    move(entrepreneur, application, "submitted")
    with pytest.raises(services.FundingError, match="fixed once the application is submitted"):
        update(entrepreneur, application, {"amount_requested": Decimal("1.00")})
    assert update(entrepreneur, application, {"notes": "Panel on 3 May"}) == ["notes"]
    application.refresh_from_db()
    assert (application.amount_requested, application.notes) == (
        Decimal("5000.00"),
        "Panel on 3 May",
    )


def test_a_stale_edit_is_refused_and_changes_nothing(entrepreneur, seir, venture, rif):
    application = add(entrepreneur, venture, rif)
    update(seir, FundingApplication.objects.get(pk=application.pk), {"notes": "SEiR's note"})
    with pytest.raises(services.ApplicationConflict):
        update(entrepreneur, application, {"notes": "mine"}, version=1)
    assert FundingApplication.objects.get(pk=application.pk).notes == "SEiR's note"


def test_totals_are_exact_per_venture_and_per_programme(
    seir, venture, other_venture, programme, seif, rif
):
    a = add(seir, venture, seif, "10000.10")
    move(seir, a, "submitted")
    move(seir, a, "awarded", amount_awarded=Decimal("9999.99"))
    b = add(seir, venture, rif, "0.20")
    move(seir, b, "submitted")
    add(seir, venture, rif, "7777.77")  # a draft: not applied for
    c = add(seir, other_venture, rif, "100.00")
    move(seir, c, "withdrawn")
    d = add(seir, other_venture, rif, "50.05")
    move(seir, d, "submitted")
    move(seir, d, "declined")

    totals = funding_totals_of(applications=application_list_for_venture(venture=venture))
    assert (totals.applied, totals.pending, totals.awarded) == (
        Decimal("10000.30"),
        Decimal("0.20"),
        Decimal("9999.99"),
    )
    assert (totals.applications, totals.awards) == (3, 1)

    summary = funding_summary_for_programme(user=seir, programme=programme)
    assert summary["overall"].applied == Decimal("10050.35")
    assert summary["overall"].awarded == Decimal("9999.99")
    assert [
        (r["fund"], r["type"], r["applied"], r["awarded"], r["applications"])
        for r in summary["by_fund"]
    ] == [
        ("Regional Innovation Fund (RIF)", "Grant", Decimal("50.25"), Decimal("0.00"), 4),
        (
            "Social Enterprise Investment Fund (SEIF)",
            "Grant",
            Decimal("10000.10"),
            Decimal("9999.99"),
            1,
        ),
    ]


def test_two_funds_of_the_same_name_are_two_rows_of_the_summary(seir, venture, programme):
    """A fund's name is not unique (its code is): two funds called the same were summed
    into one row, and read as one fund."""
    north = FundFactory(code="north", name="Community Fund", funder="North Trust")
    south = FundFactory(code="south", name="Community Fund", funder="South Trust")
    twin = FundFactory(code="south-2", name="Community Fund", funder="South Trust")
    add(seir, venture, north, "100.00")
    add(seir, venture, south, "20.00")
    add(seir, venture, twin, "3.00")
    for application in FundingApplication.objects.filter(venture=venture):
        move(seir, application, "submitted")

    summary = funding_summary_for_programme(user=seir, programme=programme)

    assert [(r["fund"], r["applied"], r["applications"]) for r in summary["by_fund"]] == [
        ("Community Fund (North Trust)", Decimal("100.00"), 1),
        ("Community Fund (south)", Decimal("20.00"), 1),
        ("Community Fund (south-2)", Decimal("3.00"), 1),
    ]
    assert summary["overall"].applied == Decimal("123.00")


def test_a_type_cleared_on_an_edit_is_the_funds_usual_type(entrepreneur, venture, seif, rif):
    """The form says "Leave as the fund's usual type if unsure": clearing it on an edit
    was refused with "This field cannot be blank."."""
    application = add(entrepreneur, venture, rif, funding_type="loan")
    assert rif.funding_type != "loan"

    assert update(entrepreneur, application, {"funding_type": ""}) == ["funding_type"]
    application.refresh_from_db()
    assert application.funding_type == rif.funding_type

    # With another fund picked in the same edit, that fund's usual type.
    application.funding_type = "loan"
    application.save(update_fields=["funding_type"])
    update(entrepreneur, application, {"fund": seif, "funding_type": ""})
    application.refresh_from_db()
    assert (application.fund, application.funding_type) == (seif, seif.funding_type)
