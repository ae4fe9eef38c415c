"""``ContractDay`` always equals the contracts it counts: after each kind of write the
rows are compared with a count and a sum made here, in Python, from the contracts
themselves; and the dashboard's contracts by status read the same from the rows (the
whole programme) as from the contracts (one SEiR's ventures)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.utils import timezone

from commissioning import services
from commissioning.models import Contract, ContractDay, ContractStatus
from commissioning.tallies import programme_rebuild
from progress.periods import programme_period
from progress.selectors import programme_figures
from ventures.factories import VentureFactory

pytestmark = pytest.mark.django_db


def expected(programme) -> dict:
    found: dict = defaultdict(lambda: [0, Decimal("0.00")])
    for c in Contract.objects.filter(venture__programme=programme):
        found[(c.start_date, c.status)][0] += 1
        found[(c.start_date, c.status)][1] += c.value
    return {key: (n, value) for key, (n, value) in found.items()}


def stored(programme) -> dict:
    rows = ContractDay.objects.filter(programme=programme)
    return {(r.day, r.status): (r.contracts, r.value) for r in rows if r.contracts}


def record(seir, venture, commissioner, start, value="1000.00", **kwargs):
    return services.contract_record(
        actor=seir,
        venture=venture,
        commissioner=commissioner,
        service="Falls prevention",
        value=Decimal(value),
        start_date=start,
        end_date=start + datetime.timedelta(days=365),
        **kwargs,
    )


def test_every_kind_of_contract_write_keeps_the_day_rows_in_step(
    programme, seir, venture, other_venture, ben_pct
):
    today = timezone.localdate()
    week_ago = today - datetime.timedelta(days=7)
    assert stored(programme) == {}

    first = record(seir, venture, ben_pct, week_ago, "12000.00")
    second = record(seir, other_venture, ben_pct, week_ago, "500.50")
    assert stored(programme) == expected(programme)
    assert stored(programme) == {(week_ago, ContractStatus.NEGOTIATING): (2, Decimal("12500.50"))}

    # A status moved by the service; a start date and a value corrected by a save (as
    # the admin does).
    services.contract_set_status(actor=seir, contract=first, to_status=ContractStatus.SIGNED)
    assert stored(programme) == expected(programme)
    assert stored(programme)[(week_ago, ContractStatus.SIGNED)] == (1, Decimal("12000.00"))
    second.refresh_from_db()
    second.start_date = today
    second.save()
    assert stored(programme) == expected(programme)
    second.value = Decimal("750.00")
    second.save()
    assert stored(programme)[(today, ContractStatus.NEGOTIATING)] == (1, Decimal("750.00"))
    assert stored(programme) == expected(programme)

    # A save that changes nothing counted writes no row.
    before = list(ContractDay.objects.order_by("pk").values_list("pk", "contracts", "value"))
    second.service = "Falls prevention, north"
    second.save()
    assert (
        list(ContractDay.objects.order_by("pk").values_list("pk", "contracts", "value")) == before
    )

    # Deleted on its own, and with its venture.
    second.delete()
    assert stored(programme) == expected(programme)
    assert stored(programme) == {(week_ago, ContractStatus.SIGNED): (1, Decimal("12000.00"))}
    venture.delete()
    assert stored(programme) == expected(programme) == {}

    # A rebuild from scratch gives the same rows.
    record(seir, other_venture, ben_pct, today, "99.99")
    kept = stored(programme)
    programme_rebuild(programme.pk)
    assert stored(programme) == kept == expected(programme)
    assert kept == {(today, ContractStatus.NEGOTIATING): (1, Decimal("99.99"))}


def test_the_dashboard_counts_the_same_from_the_rows_and_from_the_contracts(
    programme, seir, venture, ben_pct
):
    """The whole programme's figure sums the day rows; one SEiR's counts the contracts;
    with every venture that SEiR's, the two agree, status by status, value and all."""
    today = timezone.localdate()
    other = VentureFactory(programme=programme, stage_code="idea", name="Second", seir=seir)
    record(seir, venture, ben_pct, today, "12000.00")
    record(seir, other, ben_pct, programme.start_date, "3000.25")
    signed = record(seir, other, ben_pct, today, "40.00")
    services.contract_set_status(actor=seir, contract=signed, to_status=ContractStatus.SIGNED)
    record(seir, other, ben_pct, programme.start_date - datetime.timedelta(days=1), "7.00")
    period = programme_period(programme)

    whole = programme_figures(programme=programme, period=period)
    narrowed = programme_figures(programme=programme, period=period, seir=seir)

    def tallies(figures):
        c = figures.commissioning
        return [(t.code, t.count, t.amount) for t in c.contracts], c.contract_value

    counts = {t.code: (t.count, t.amount) for t in whole.commissioning.contracts}
    assert counts[ContractStatus.NEGOTIATING] == (2, Decimal("15000.25"))
    assert counts[ContractStatus.SIGNED] == (1, Decimal("40.00"))
    assert whole.commissioning.contract_count == 3  # the one starting before is left out
    assert tallies(whole) == tallies(narrowed)
    # Recorded this week, whatever their start: all four.
    assert whole.week.contracts == narrowed.week.contracts == 4
