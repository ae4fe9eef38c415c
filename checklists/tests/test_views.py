"""Pages and permissions: who sees what, by every URL; evidence only through the view."""

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve, reverse

from checklists import services
from checklists.factories import pdf_upload
from checklists.models import Checklist, ChecklistItem, Evidence, ItemStatus
from checklists.selectors import item_history
from ventures import permissions as venture_permissions
from ventures.models import Venture

pytestmark = pytest.mark.django_db


@pytest.fixture
def evidence(item, entrepreneur):
    return services.evidence_add_file(
        actor=entrepreneur, item=item, upload=pdf_upload("articles.pdf")
    )


@pytest.fixture
def commissioner_can_read_the_venture(monkeypatch, commissioner):
    """Commissioning will let a commissioner read a venture introduced to them: that
    read-only grant must not open its due diligence."""
    monkeypatch.setattr(venture_permissions, "_read_only_visibility", [])
    venture_permissions.register_read_only_visibility(
        lambda user: (
            Venture.objects.filter(team__isnull=False).values("id")
            if user == commissioner
            else Venture.objects.none().values("id")
        )
    )


def urls(venture, item, evidence):
    """(method, url, data) for every route of the app."""
    return [
        ("get", reverse("checklists:venture", args=[venture.pk]), None),
        ("get", reverse("checklists:item", args=[item.pk]), None),
        ("get", reverse("checklists:evidence_download", args=[evidence.pk]), None),
        ("get", reverse("checklists:item_add", args=[venture.pk]), None),
        ("post", reverse("checklists:create", args=[venture.pk]), {"template": ""}),
        (
            "post",
            reverse("checklists:item_add", args=[venture.pk]),
            {"section": "Finance", "label": "X"},
        ),
        (
            "post",
            reverse("checklists:item_move", args=[item.pk]),
            {"to_status": "submitted", "expected_status": "in_progress"},
        ),
        ("post", reverse("checklists:item_edit", args=[item.pk]), {"label": "Changed"}),
        ("post", reverse("checklists:item_remove", args=[item.pk]), {"remove-reason": "Gone"}),
        (
            "post",
            reverse("checklists:evidence_upload", args=[item.pk]),
            {"upload-file": pdf_upload()},
        ),
        (
            "post",
            reverse("checklists:evidence_link", args=[item.pk]),
            {"link-url": "https://example.org"},
        ),
    ]


def snapshot():
    return (
        list(ChecklistItem.objects.values_list("pk", "status", "label", "removed_at")),
        Evidence.objects.count(),
        Checklist.objects.count(),
    )


@pytest.mark.parametrize("who", ["commissioner", "outsider", "other_seir", "stranger"])
def test_everyone_else_gets_404_on_every_url_and_changes_nothing(
    who, request, client, venture, item, evidence, commissioner_can_read_the_venture
):
    client.force_login(request.getfixturevalue(who))
    # the commissioner may read the venture's profile, but not its due diligence
    if who == "commissioner":
        assert client.get(reverse("ventures:detail", args=[venture.pk])).status_code == 200
    before = snapshot()
    for method, url, data in urls(venture, item, evidence):
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 404, (method, url)
    assert snapshot() == before


def test_anonymous_visitors_are_sent_to_sign_in_by_every_url(client, venture, item, evidence):
    before = snapshot()
    for method, url, data in urls(venture, item, evidence):
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next=")
    assert snapshot() == before


def test_managers_read_statuses_but_not_the_evidence_and_change_nothing(
    client, manager, venture, item, evidence
):
    client.force_login(manager)
    page = client.get(reverse("checklists:venture", args=[venture.pk]))
    assert page.status_code == 200
    html = client.get(reverse("checklists:item", args=[item.pk])).content.decode()
    assert "articles.pdf" in html
    assert reverse("checklists:evidence_download", args=[evidence.pk]) not in html
    assert 'name="to_status"' not in html
    assert (
        client.get(reverse("checklists:evidence_download", args=[evidence.pk])).status_code == 404
    )
    before = snapshot()
    for method, url, data in urls(venture, item, evidence)[3:]:
        response = getattr(client, method)(url, data) if data else getattr(client, method)(url)
        assert response.status_code == 403, url
    assert snapshot() == before


def test_a_manager_is_refused_a_move_before_the_form_is_read(client, manager, item):
    # Found by the permission matrix (issue 21): with a form that did not validate, the
    # manager was shown the item page again with form errors instead of a refusal.
    client.force_login(manager)
    before = snapshot()

    response = client.post(reverse("checklists:item_move", args=[item.pk]), {})

    assert response.status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("who", ["entrepreneur", "teammate", "seir", "administrator"])
def test_the_team_and_staff_download_evidence_as_an_attachment(who, request, client, evidence):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("checklists:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="articles.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")


def test_stored_files_have_no_public_url(client, seir, evidence):
    client.force_login(seir)
    public = "/" + django_settings.MEDIA_URL.strip("/") + "/" + evidence.file.name
    with pytest.raises(Resolver404):
        resolve(public)
    assert client.get(public).status_code == 404
    assert client.get("/media/" + evidence.file.name).status_code == 404
    assert str(django_settings.MEDIA_ROOT) not in str(django_settings.STATIC_ROOT)


def test_the_team_uploads_and_submits_through_the_pages(client, entrepreneur, item):
    client.force_login(entrepreneur)
    response = client.post(
        reverse("checklists:evidence_upload", args=[item.pk]),
        {"upload-file": pdf_upload("deed.pdf")},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("checklists:item_move", args=[item.pk]),
        {"to_status": "submitted", "expected_status": "in_progress"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="item-panel">')
    assert "“Governing document” is now submitted for review." in html
    item.refresh_from_db()
    assert item.status == ItemStatus.SUBMITTED


def test_a_double_submit_gets_a_message_not_an_error(client, entrepreneur, item):
    services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload())
    client.force_login(entrepreneur)
    data = {"to_status": "submitted", "expected_status": "in_progress"}
    client.post(reverse("checklists:item_move", args=[item.pk]), data)
    response = client.post(reverse("checklists:item_move", args=[item.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    # Not "someone changed it while you were looking": it was the person's first click.
    assert "someone changed it" not in html
    assert "“Governing document” is already submitted for review: Parveen Akhtar did it on " in html
    assert [c.to_status for c in item_history(item=item)] == ["submitted", "in_progress"]


def test_a_return_without_a_comment_shows_the_error_by_the_field(client, seir, entrepreneur, item):
    services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload())
    services.checklist_item_move(actor=entrepreneur, item=item, to_status="submitted")
    client.force_login(seir)
    response = client.post(
        reverse("checklists:item_move", args=[item.pk]),
        {"to_status": "returned", "expected_status": "submitted", "comment": ""},
    )
    html = response.content.decode()
    assert 'id="comment-returned-error"' in html
    assert "Write a comment saying what the team should change." in html
    item.refresh_from_db()
    assert item.status == "submitted"


@pytest.mark.parametrize(
    "data",
    [
        {"to_status": "bogus", "expected_status": "submitted"},
        {"to_status": "accepted", "expected_status": "submitted", "expires_on": "99999-01-01"},
        {"to_status": "accepted", "expected_status": "submitted", "expires_on": "1800-01-01"},
        {"to_status": "accepted\x00", "expected_status": "submitted"},
        {"to_status": "accepted", "expected_status": "submitted", "comment": "x" * 6000},
    ],
)
def test_hostile_moves_get_a_clear_answer_and_change_nothing(
    data, client, seir, entrepreneur, item
):
    services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload())
    services.checklist_item_move(actor=entrepreneur, item=item, to_status="submitted")
    client.force_login(seir)
    before = snapshot()
    response = client.post(reverse("checklists:item_move", args=[item.pk]), data)
    assert response.status_code == 200
    assert snapshot() == before


@pytest.mark.parametrize(
    "path",
    ["items/99999999999999999999/", "evidence/99999999999999999999/download/", "ventures/0/"],
)
def test_huge_or_unknown_ids_are_404(path, client, seir):
    client.force_login(seir)
    assert client.get("/checklists/" + path).status_code == 404


def test_the_seir_gives_a_checklist_adds_edits_and_removes_items(
    client, seir, venture, default_template, entrepreneur
):
    client.force_login(seir)
    page = client.get(reverse("checklists:venture", args=[venture.pk])).content.decode()
    assert "has no due-diligence checklist yet" in page
    client.post(reverse("checklists:create", args=[venture.pk]), {"template": default_template.pk})
    checklist = Checklist.objects.get(venture=venture)
    assert checklist.items.count() == 35

    response = client.post(
        reverse("checklists:item_add", args=[venture.pk]),
        {
            "section": "",
            "new_section": "Premises",
            "label": "Lease",
            "stage_code": "pilot",
            "due_date": "2027-02-01",
        },
    )
    assert response.status_code == 302
    lease = checklist.items.get(label="Lease")
    assert (lease.section, lease.stage_code, str(lease.due_date)) == (
        "Premises",
        "pilot",
        "2027-02-01",
    )

    response = client.post(
        reverse("checklists:item_edit", args=[lease.pk]),
        {
            "label": "Lease or licence",
            "stage_code": "pilot",
            "due_date": "2027-02-01",
            "owner": entrepreneur.pk,
        },
    )
    assert response.status_code == 302
    lease.refresh_from_db()
    assert (lease.label, lease.owner) == ("Lease or licence", entrepreneur)

    client.post(
        reverse("checklists:item_remove", args=[lease.pk]),
        {"remove-reason": "Works from the church hall."},
    )
    lease.refresh_from_db()
    assert lease.is_removed
    page = client.get(reverse("checklists:venture", args=[venture.pk])).content.decode()
    assert "Removed items (1)" in page


def test_the_tab_shows_progress_per_section_and_overdue_items(
    client, seir, checklist, entrepreneur
):
    item = checklist.items.get(label="Governing document")
    services.checklist_item_update(
        actor=seir, item=item, data={"due_date": __import__("datetime").date(2020, 1, 1)}
    )
    services.checklist_item_move(
        actor=seir,
        item=checklist.items.get(label="Board skills and independence"),
        to_status="not_applicable",
        comment="n/a",
    )
    client.force_login(entrepreneur)
    html = client.get(reverse("checklists:venture", args=[checklist.venture_id])).content.decode()
    assert "<strong>1 of 35</strong> items accepted or not applicable" in html
    assert "1 of 5 done" in html
    assert "1 overdue item" in html
    assert 'aria-label="Legal form &amp; governance: 1 of 5 done"' in html


def test_the_venture_page_shows_the_tab_to_the_team_not_to_commissioners(
    client, entrepreneur, commissioner, venture, commissioner_can_read_the_venture
):
    client.force_login(entrepreneur)
    assert (
        ">Due diligence</a>"
        in client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
    )
    client.force_login(commissioner)
    assert (
        "Due diligence"
        not in client.get(reverse("ventures:detail", args=[venture.pk])).content.decode()
    )


def _with_items(checklist, n, actor):
    for index in range(n):
        item = services.checklist_item_add(
            actor=actor, checklist=checklist, section=f"Extra {index % 3}", label=f"Extra {index}"
        )
        services.evidence_add_file(actor=actor, item=item, upload=pdf_upload())
        services.evidence_add_link(actor=actor, item=item, url="https://example.org/x")


def test_the_tab_query_count_is_pinned_and_does_not_grow(client, seir, checklist):
    client.force_login(seir)
    url = reverse("checklists:venture", args=[checklist.venture_id])
    _with_items(checklist, 2, seir)
    client.get(url)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _with_items(checklist, 30, seir)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    # The venture is read once, with its stage, lead and SEiR (no second read since the
    # fragment cache went).
    assert len(small) == len(large) == 7, (len(small), len(large))


@pytest.mark.parametrize("months", ["99999999999999999999", "-1", "0", "abc", "121"])
def test_hostile_item_values_get_a_form_error(months, client, seir, checklist):
    client.force_login(seir)
    url = reverse("checklists:item_add", args=[checklist.venture_id])
    assert client.get(url).status_code == 200
    before = snapshot()
    response = client.post(
        url, {"section": "Finance", "label": "Bank statements", "validity_months": months}
    )
    assert response.status_code == 200
    assert 'id="error_1_id_validity_months"' in response.content.decode()
    assert snapshot() == before


def test_the_item_page_query_count_does_not_grow_with_evidence(client, seir, entrepreneur, item):
    client.force_login(seir)
    url = reverse("checklists:item", args=[item.pk])
    services.evidence_add_file(actor=entrepreneur, item=item, upload=pdf_upload())
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    for index in range(8):
        services.evidence_add_file(
            actor=entrepreneur, item=item, upload=pdf_upload(f"v{index}.pdf", f"v{index}")
        )
        services.evidence_add_link(
            actor=entrepreneur, item=item, url=f"https://example.org/{index}"
        )
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(small) == len(large) == 10, (len(small), len(large))


def test_editing_an_item_keeps_an_owner_who_left_and_a_retired_stage(
    client, seir, checklist, teammate
):
    # given: an item owned by a teammate, gated on a stage code the programme no longer has
    from checklists.models import ChecklistItem

    item = checklist.items.first()
    ChecklistItem.objects.filter(pk=item.pk).update(owner=teammate, stage_code="retired-stage")
    teammate.is_active = False
    teammate.save()
    client.force_login(seir)

    # when: the edit form is drawn, and posted back changing only the label
    page = client.get(reverse("checklists:item", args=[item.pk])).content.decode()
    response = client.post(
        reverse("checklists:item_edit", args=[item.pk]),
        {"label": "Renamed", "stage_code": "retired-stage", "owner": teammate.pk},
    )

    # then: both are offered as they are, and kept
    assert f'<option value="{teammate.pk}" selected>Tom Mate (inactive)</option>' in page
    assert '<option value="retired-stage" selected>retired-stage (retired)</option>' in page
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.label, item.owner, item.stage_code) == ("Renamed", teammate, "retired-stage")
