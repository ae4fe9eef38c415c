"""A contract's and a support referral's history are their events (issue 20): the pages
list them as they listed the ContractStatusChange and SupportReferralStep rows, and
commissioning 0006-0009 turn every row into such an event."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from commissioning import services
from commissioning.factories import SupportProviderFactory
from events.models import Event
from tests.migrating import events, migrate, venture_world

RECORDED = "commissioning.contract_recorded"
CHANGED = "commissioning.contract_status_changed"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_the_contract_page_shows_its_history_oldest_first_from_the_events(
    client, seir, venture, ben_pct
):
    # given a contract recorded while negotiating, signed with a note, then live
    contract = services.contract_record(
        actor=seir,
        venture=venture,
        commissioner=ben_pct,
        service="COPD rehabilitation",
        value=Decimal("48000.00"),
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2027, 3, 31),
    )
    services.contract_set_status(
        actor=seir, contract=contract, to_status="signed", note="  Signed at the board.  "
    )
    services.contract_set_status(actor=seir, contract=contract, to_status="live")
    moments = Event.objects.filter(subject_id=str(contract.pk), kind__in=[RECORDED, CHANGED])
    when = [date_format(timezone.localtime(e.at), "j M Y H:i") for e in moments.order_by("id")]
    client.force_login(seir)

    # when the SEiR opens it
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("commissioning:contract", args=[contract.pk])).content.decode()

    # then its history lists the status it was recorded at, then each change
    start = html.index(">History</h2>")
    history = html[start : html.index("</ol>", start)]
    assert [_text(li) for li in re.findall(r"<li.*?</li>", history, re.S)] == [
        f"Negotiating — {when[0]} by Samira Patel",
        f"Signed — {when[1]} by Samira Patel: Signed at the board.",
        f"Live — {when[2]} by Samira Patel",
    ]
    # as many as with the history rows: the history is one query either way
    assert len(queries) == 5


BEFORE = ("commissioning", "0005_meeting_agreed")
NEGOTIATING = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
SIGNED = datetime.datetime(2026, 3, 20, 11, 0, tzinfo=datetime.UTC)
LIVE = datetime.datetime(2026, 4, 1, 8, 0, tzinfo=datetime.UTC)
LABEL = "COPD rehabilitation — Saheli Hub for Migration PCT"


# Serialized rollback, as every transactional test here (see test_meeting_agreed_migration).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_contract_status_rows_become_the_contracts_events_and_come_back():
    # given, under the old schema, a contract recorded (its event about the contract, as
    # the service writes it), signed (no event) and live (an event about the row)
    old = migrate(*BEFORE)
    try:
        world = venture_world(old, username="contract-seir", venture="Saheli Hub")
        kind, _ = old.get_model("commissioning", "OrganisationType").objects.get_or_create(
            code="migration-test-pct", defaults={"name": "Migration test PCT"}
        )
        commissioner = old.get_model("commissioning", "Commissioner").objects.create(
            name="Migration PCT", organisation_type=kind
        )
        contract = old.get_model("commissioning", "Contract").objects.create(
            venture=world.venture,
            commissioner=commissioner,
            service="COPD rehabilitation",
            value=Decimal("48000.00"),
            start_date=datetime.date(2026, 4, 1),
            end_date=datetime.date(2027, 3, 31),
            status="live",
            created_by=world.user,
        )
        Row = old.get_model("commissioning", "ContractStatusChange")
        rows = [
            Row.objects.create(
                contract=contract,
                from_status=from_status,
                to_status=to_status,
                note=note,
                changed_by=actor,
                changed_at=at,
            )
            for from_status, to_status, note, actor, at in [
                ("", "negotiating", "", world.user, NEGOTIATING),
                ("negotiating", "signed", "Signed at the board.", None, SIGNED),
                ("signed", "live", "", world.user, LIVE),
            ]
        ]
        ContentType = old.get_model("contenttypes", "ContentType")
        for code, subject, at, data in [
            (RECORDED, contract, NEGOTIATING, {"status": "negotiating"}),
            (CHANGED, rows[2], LIVE, {"from": "signed", "to": "live"}),
        ]:
            old.get_model("events", "Event").objects.create(
                at=at,
                recorded_at=at,
                kind=code,
                actor=world.user,
                programme=world.programme,
                venture_id=world.venture.pk,
                venture_label="Saheli Hub",
                subject_type=ContentType.objects.get_for_model(subject),
                subject_id=str(subject.pk),
                subject_label=LABEL,
                data=data,
                visibility="staff",
            )

        # when the migrations run
        new = migrate()

        # then the three are events about the contract, the signing made from its row
        def expected(code, actor, at, data):
            return (
                code,
                "contract",
                str(contract.pk),
                LABEL,
                actor,
                world.programme.pk,
                world.venture.pk,
                "Saheli Hub",
                at,
                at,
                data,
            )

        assert events(new, kind__in=[RECORDED, CHANGED]) == [
            expected(RECORDED, "contract-seir", NEGOTIATING, {"status": "negotiating"}),
            expected(
                CHANGED,
                None,
                SIGNED,
                {
                    "from": "negotiating",
                    "to": "signed",
                    "from_label": "Negotiating",
                    "to_label": "Signed",
                    "note": "Signed at the board.",
                },
            ),
            expected(CHANGED, "contract-seir", LIVE, {"from": "signed", "to": "live"}),
        ]
        assert "commissioning_contractstatuschange" not in (connection.introspection.table_names())

        # when the migrations are undone
        back = migrate(*BEFORE)

        # then the rows come back from the events
        assert list(
            back.get_model("commissioning", "ContractStatusChange")
            .objects.order_by("changed_at")
            .values_list("contract_id", "from_status", "to_status", "note", "changed_by_id")
        ) == [
            (contract.pk, "", "negotiating", "", world.user.pk),
            (contract.pk, "negotiating", "signed", "Signed at the board.", None),
            (contract.pk, "signed", "live", "", world.user.pk),
        ]
    finally:
        # Every app back at its latest migration.
        migrate()


@pytest.mark.django_db
def test_the_referral_page_shows_its_steps_in_the_order_recorded(client, seir, venture, days_ago):
    # given a referral made three days ago, introduced two days ago, then declined with a
    # reason on that same day
    provider = SupportProviderFactory(name="Anthony Collins Solicitors")
    referral = services.support_referral_make(
        actor=seir, venture=venture, provider=provider, purpose="CIC articles", made_on=days_ago(3)
    )
    services.referral_move(actor=seir, referral=referral, to_step="introduced", on=days_ago(2))
    services.referral_move(
        actor=seir, referral=referral, to_step="declined", on=days_ago(2), note="Not their field."
    )
    client.force_login(seir)

    # when the SEiR opens it
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("commissioning:referral", args=[referral.pk])).content.decode()

    # then its history lists each step with its day, who recorded it and the note
    start = html.index(">History</h2>")
    history = html[start : html.index("</ol>", start)]
    made, moved = (date_format(days_ago(n), "j M Y") for n in (3, 2))
    assert [_text(li) for li in re.findall(r"<li.*?</li>", history, re.S)] == [
        f"Requested on {made} by Samira Patel CIC articles",
        f"Introduced on {moved} by Samira Patel",
        f"Declined on {moved} by Samira Patel Not their field.",
    ]
    # as many as with the history rows: the history is one query either way
    assert len(queries) == 5


REFERRAL_BEFORE = ("commissioning", "0007_delete_contractstatuschange")
MADE = "commissioning.referral_made"
MOVED = "commissioning.referral_moved"
MADE_ON = datetime.date(2026, 3, 2)
MADE_AT = datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC)
INTRODUCED_AT = datetime.datetime(2026, 3, 12, 8, 0, tzinfo=datetime.UTC)
DECLINED_AT = datetime.datetime(2026, 3, 20, 17, 0, tzinfo=datetime.UTC)
DECLINED = {"from": "introduced", "to": "declined", "note": "Not their field."}


def _midday(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


# Serialized rollback, as every transactional test here (see test_meeting_agreed_migration).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_referral_step_rows_become_the_referrals_events_and_come_back():
    # given, under the old schema, a referral made (its event about the referral, as the
    # service writes it), introduced on 10 March (no event) and declined (an event about
    # the row)
    old = migrate(*REFERRAL_BEFORE)
    try:
        world = venture_world(old, username="referral-seir", venture="Saheli Hub")
        support, _ = old.get_model("commissioning", "SupportType").objects.get_or_create(
            code="migration-legal", defaults={"name": "Migration legal"}
        )
        provider = old.get_model("commissioning", "SupportProvider").objects.create(
            name="Anthony Collins Solicitors", support_type=support
        )
        referral = old.get_model("commissioning", "SupportReferral").objects.create(
            venture=world.venture,
            provider=provider,
            made_by=world.user,
            made_on=MADE_ON,
            purpose="CIC articles",
            step="declined",
            step_on=datetime.date(2026, 3, 20),
        )
        Row = old.get_model("commissioning", "SupportReferralStep")
        rows = [
            Row.objects.create(
                referral=referral,
                from_step=from_step,
                to_step=to_step,
                on=on,
                note=note,
                changed_by=actor,
                changed_at=at,
            )
            for from_step, to_step, on, note, actor, at in [
                ("", "requested", MADE_ON, "CIC articles", world.user, MADE_AT),
                ("requested", "introduced", datetime.date(2026, 3, 10), "", None, INTRODUCED_AT),
                (
                    "introduced",
                    "declined",
                    datetime.date(2026, 3, 20),
                    "Not their field.",
                    world.user,
                    DECLINED_AT,
                ),
            ]
        ]
        ContentType = old.get_model("contenttypes", "ContentType")
        for code, subject, at, data in [
            (MADE, referral, MADE_AT, {"on": "2026-03-02", "purpose": "CIC articles"}),
            (MOVED, rows[2], DECLINED_AT, DECLINED),
        ]:
            old.get_model("events", "Event").objects.create(
                at=at,
                at_is_day=True,
                recorded_at=at,
                kind=code,
                actor=world.user,
                programme=world.programme,
                venture_id=world.venture.pk,
                venture_label="Saheli Hub",
                subject_type=ContentType.objects.get_for_model(subject),
                subject_id=str(subject.pk),
                subject_label="Saheli Hub → Anthony Collins Solicitors",
                data=data,
                visibility="staff",
            )

        # when the migrations run
        new = migrate()

        # then the three are events about the referral, the introduction made from its
        # row and filed on its day
        def expected(code, actor, at, recorded_at, data):
            return (
                code,
                "supportreferral",
                str(referral.pk),
                "Saheli Hub → Anthony Collins Solicitors",
                actor,
                world.programme.pk,
                world.venture.pk,
                "Saheli Hub",
                at,
                recorded_at,
                data,
            )

        assert events(new, kind__in=[MADE, MOVED]) == [
            expected(
                MADE,
                "referral-seir",
                MADE_AT,
                MADE_AT,
                {"on": "2026-03-02", "purpose": "CIC articles"},
            ),
            expected(
                MOVED,
                None,
                _midday(datetime.date(2026, 3, 10)),
                INTRODUCED_AT,
                {
                    "from": "requested",
                    "to": "introduced",
                    "from_label": "Requested",
                    "to_label": "Introduced",
                    "on": "2026-03-10",
                    "note": "",
                    "counterpart": "Anthony Collins Solicitors",
                    "proposed_dates": [],
                },
            ),
            expected(
                MOVED,
                "referral-seir",
                DECLINED_AT,
                DECLINED_AT,
                DECLINED,
            ),
        ]
        assert "commissioning_supportreferralstep" not in connection.introspection.table_names()

        # when the migrations are undone
        back = migrate(*REFERRAL_BEFORE)

        # then the rows come back from the events
        assert list(
            back.get_model("commissioning", "SupportReferralStep")
            .objects.order_by("changed_at")
            .values_list("from_step", "to_step", "on", "note", "changed_by_id", "changed_at")
        ) == [
            ("", "requested", MADE_ON, "CIC articles", world.user.pk, MADE_AT),
            ("requested", "introduced", datetime.date(2026, 3, 10), "", None, INTRODUCED_AT),
            (
                "introduced",
                "declined",
                datetime.date(2026, 3, 20),
                "Not their field.",
                world.user.pk,
                DECLINED_AT,
            ),
        ]
    finally:
        # Every app back at its latest migration.
        migrate()
