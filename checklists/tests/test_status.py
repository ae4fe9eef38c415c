"""The item status machine: every allowed move succeeds for the right person and records
it; every other move is refused and changes nothing."""

import datetime
import itertools

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from checklists import services
from checklists.factories import pdf_upload
from checklists.models import ChecklistItem, ItemStatus
from checklists.selectors import ItemChange, item_history
from checklists.status import TRANSITIONS, By, Needs
from events.models import Event

pytestmark = pytest.mark.django_db

S = ItemStatus
ALLOWED = {
    (S.NOT_STARTED, S.IN_PROGRESS): By.TEAM,
    (S.NOT_STARTED, S.SUBMITTED): By.TEAM,
    (S.NOT_STARTED, S.NOT_APPLICABLE): By.REVIEWER,
    (S.IN_PROGRESS, S.SUBMITTED): By.TEAM,
    (S.IN_PROGRESS, S.NOT_APPLICABLE): By.REVIEWER,
    (S.SUBMITTED, S.ACCEPTED): By.REVIEWER,
    (S.SUBMITTED, S.RETURNED): By.REVIEWER,
    (S.SUBMITTED, S.IN_PROGRESS): By.TEAM,
    (S.RETURNED, S.SUBMITTED): By.TEAM,
    (S.RETURNED, S.IN_PROGRESS): By.TEAM,
    (S.RETURNED, S.NOT_APPLICABLE): By.REVIEWER,
    (S.ACCEPTED, S.IN_PROGRESS): By.REVIEWER,
    (S.ACCEPTED, S.EXPIRED): By.SYSTEM,
    (S.ACCEPTED, S.NOT_APPLICABLE): By.REVIEWER,
    (S.EXPIRED, S.SUBMITTED): By.TEAM,
    (S.EXPIRED, S.IN_PROGRESS): By.TEAM,
    (S.EXPIRED, S.NOT_APPLICABLE): By.REVIEWER,
    (S.NOT_APPLICABLE, S.NOT_STARTED): By.REVIEWER,
}
PAIRS = list(itertools.product(S.values, S.values))


def test_the_table_is_exactly_the_documented_one():
    table = {(src, m.to): m.by for src in TRANSITIONS for m in TRANSITIONS.moves(src)}
    assert table == ALLOWED


def _put(item, status, *, with_evidence, actor):
    if with_evidence:
        services.evidence_add_file(actor=actor, item=item, upload=pdf_upload())
    ChecklistItem.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    return item


def _snapshot(item):
    item.refresh_from_db()
    return (
        item.status,
        item.status_note,
        item.reviewed_by_id,
        item.expires_on,
        len(item_history(item=item)),
        Event.objects.count(),
    )


@pytest.mark.parametrize(
    ("src", "dst"), [p for p in PAIRS if p in ALLOWED and ALLOWED[p] != By.SYSTEM]
)
def test_allowed_move_by_the_right_person(src, dst, item, seir, entrepreneur):
    actor = entrepreneur if ALLOWED[(src, dst)] == By.TEAM else seir
    item = _put(item, src, with_evidence=True, actor=entrepreneur)
    move = TRANSITIONS.move(src, dst)
    comment = "Please sign it." if move.needs in (Needs.COMMENT, Needs.REASON) else ""
    changes = len(item_history(item=item))

    event = services.checklist_item_move(
        actor=actor, item=item, to_status=dst, comment=comment, expected_status=src
    )

    item.refresh_from_db()
    assert item.status == dst
    assert (event.kind, event.subject, event.actor, event.venture_id) == (
        move.event,
        item,
        actor,
        item.checklist.venture_id,
    )
    assert (event.data["from_status"], event.data["to_status"]) == (src, dst)
    assert event.data.get("comment", "") == comment
    history = item_history(item=item)
    assert len(history) == changes + 1
    assert history[0] == ItemChange(
        at=event.at, actor=actor, from_status=src, to_status=dst, comment=comment
    )


@pytest.mark.parametrize(("src", "dst"), [p for p in PAIRS if p not in ALLOWED])
def test_every_move_outside_the_table_is_refused(src, dst, item, seir, entrepreneur):
    item = _put(item, src, with_evidence=True, actor=entrepreneur)
    before = _snapshot(item)

    with pytest.raises(services.ChecklistError, match="cannot become"):
        services.checklist_item_move(actor=seir, item=item, to_status=dst, comment="x")

    assert _snapshot(item) == before


@pytest.mark.parametrize(("src", "dst"), [p for p, by in ALLOWED.items() if by == By.REVIEWER])
def test_the_team_cannot_make_a_reviewers_move(src, dst, item, entrepreneur):
    item = _put(item, src, with_evidence=True, actor=entrepreneur)
    before = _snapshot(item)
    with pytest.raises(PermissionDenied):
        services.checklist_item_move(actor=entrepreneur, item=item, to_status=dst, comment="x")
    assert _snapshot(item) == before


@pytest.mark.parametrize("who", ["manager", "commissioner", "outsider", "other_seir", "stranger"])
def test_people_outside_the_team_and_staff_can_move_nothing(who, request, item, entrepreneur):
    user = request.getfixturevalue(who)
    item = _put(item, S.IN_PROGRESS, with_evidence=True, actor=entrepreneur)
    before = _snapshot(item)
    with pytest.raises(PermissionDenied):
        services.checklist_item_move(actor=user, item=item, to_status=S.SUBMITTED)
    assert _snapshot(item) == before


def test_nobody_makes_the_systems_expiry_move(item, seir, entrepreneur):
    item = _put(item, S.ACCEPTED, with_evidence=True, actor=entrepreneur)
    before = _snapshot(item)
    with pytest.raises(PermissionDenied):
        services.checklist_item_move(actor=seir, item=item, to_status=S.EXPIRED)
    assert _snapshot(item) == before


def test_submitting_needs_evidence(item, entrepreneur):
    before = _snapshot(item)
    with pytest.raises(services.ChecklistError, match="Add a file or a link"):
        services.checklist_item_move(actor=entrepreneur, item=item, to_status=S.SUBMITTED)
    assert _snapshot(item) == before


@pytest.mark.parametrize(
    ("src", "dst", "field"),
    [(S.SUBMITTED, S.RETURNED, "comment"), (S.IN_PROGRESS, S.NOT_APPLICABLE, "comment")],
)
def test_a_return_needs_a_comment_and_not_applicable_a_reason(
    src, dst, field, item, seir, entrepreneur
):
    item = _put(item, src, with_evidence=True, actor=entrepreneur)
    before = _snapshot(item)
    with pytest.raises(ValidationError) as error:
        services.checklist_item_move(actor=seir, item=item, to_status=dst, comment="   ")
    assert field in error.value.message_dict
    assert _snapshot(item) == before


def test_a_stale_page_is_refused_not_applied_twice(item, seir, entrepreneur):
    item = _put(item, S.SUBMITTED, with_evidence=True, actor=entrepreneur)
    services.checklist_item_move(
        actor=seir, item=item, to_status=S.ACCEPTED, expected_status=S.SUBMITTED
    )
    before = _snapshot(item)
    with pytest.raises(
        services.ChecklistError, match="is already accepted: Samira Patel did it on "
    ):
        services.checklist_item_move(
            actor=seir, item=item, to_status=S.ACCEPTED, expected_status=S.SUBMITTED
        )
    assert _snapshot(item) == before


def test_acceptance_signs_off_and_sets_expiry_from_the_validity_period(
    checklist, seir, entrepreneur
):
    item = checklist.items.get(label="Public liability insurance")
    assert item.validity_months == 12
    item = _put(item, S.SUBMITTED, with_evidence=True, actor=entrepreneur)

    services.checklist_item_move(
        actor=seir, item=item, to_status=S.ACCEPTED, comment="Certificate seen."
    )

    item.refresh_from_db()
    assert item.expires_on == timezone.localdate() + relativedelta(months=12)
    assert (item.reviewed_by, item.review_comment) == (seir, "Certificate seen.")
    assert item.reviewed_at is not None


def test_acceptance_can_name_the_expiry_and_refuses_a_past_one(item, seir, entrepreneur):
    item = _put(item, S.SUBMITTED, with_evidence=True, actor=entrepreneur)
    before = _snapshot(item)
    with pytest.raises(ValidationError):
        services.checklist_item_move(
            actor=seir,
            item=item,
            to_status=S.ACCEPTED,
            expires_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert _snapshot(item) == before
    on = timezone.localdate() + datetime.timedelta(days=90)
    services.checklist_item_move(actor=seir, item=item, to_status=S.ACCEPTED, expires_on=on)
    item.refresh_from_db()
    assert item.expires_on == on


def test_a_return_keeps_the_comment_for_the_team_until_resubmitted(item, seir, entrepreneur):
    item = _put(item, S.SUBMITTED, with_evidence=True, actor=entrepreneur)
    services.checklist_item_move(actor=seir, item=item, to_status=S.RETURNED, comment="Unsigned.")
    item.refresh_from_db()
    assert (item.status, item.status_note, item.review_comment) == (
        S.RETURNED,
        "Unsigned.",
        "Unsigned.",
    )
    services.checklist_item_move(actor=entrepreneur, item=item, to_status=S.SUBMITTED)
    item.refresh_from_db()
    assert (item.status, item.status_note) == (S.SUBMITTED, "")
    assert [(c.to_status, c.comment) for c in reversed(item_history(item=item))] == [
        (S.IN_PROGRESS, ""),
        (S.RETURNED, "Unsigned."),
        (S.SUBMITTED, ""),
    ]


def test_a_removed_item_cannot_move(item, seir, entrepreneur):
    services.checklist_item_remove(actor=seir, item=item, reason="Not needed.")
    before = _snapshot(item)
    with pytest.raises(services.ChecklistError, match="removed"):
        services.checklist_item_move(actor=entrepreneur, item=item, to_status=S.IN_PROGRESS)
    assert _snapshot(item) == before
