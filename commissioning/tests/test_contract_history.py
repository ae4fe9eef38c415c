"""A contract's history is its events (issue 20): the page lists them as it listed the
ContractStatusChange rows, and commissioning 0006/0007 turn every row into such an event."""

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
    assert len(queries) == 9


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
