"""The fast read paths of issue 8: visibility as literal ids, list rows as plain values,
every board column's ids in one query, and "runs this programme" without a query."""

from __future__ import annotations

import importlib
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.factories import member
from accounts.models import ProgrammeMembership, User
from accounts.permissions import runs_programme
from accounts.roles import Role
from accounts.services import membership_remove
from seir import paging
from ventures import permissions, selectors, services
from ventures.factories import VentureFactory
from ventures.models import Venture, VentureStatus

pytestmark = pytest.mark.django_db


def fresh(user: User) -> User:
    """The user as the next request loads it (nothing cached on the object)."""
    return User.objects.get(pk=user.pk)


def test_an_entrepreneur_sees_exactly_their_teams_ventures_written_as_literal_ids(
    entrepreneur, venture, other_venture, other_programme
):
    elsewhere = VentureFactory(programme=other_programme, stage_code="idea", name="Elsewhere")

    visible = selectors.ventures_visible_to(user=fresh(entrepreneur))

    assert list(visible) == [venture]
    sql = str(visible.query)
    assert sql.count("SELECT") == 1  # no subquery left for the planner to evaluate per row
    assert f'"ventures_venture"."id" IN ({venture.pk})' in sql
    assert elsewhere not in visible


def test_past_the_literal_limit_the_grants_stay_subqueries_with_the_same_rows(
    monkeypatch, seir, programme, entrepreneur, venture, other_venture
):
    # given: the entrepreneur on two teams, and a limit of one literal id
    services.team_member_add(actor=seir, venture=other_venture, user=entrepreneur, role="member")
    monkeypatch.setattr(permissions, "_LITERAL_IDS_MAX", 1)

    # when
    visible = selectors.ventures_visible_to(user=fresh(entrepreneur))

    # then
    assert sorted(v.pk for v in visible) == sorted([venture.pk, other_venture.pk])
    assert str(visible.query).count("SELECT") > 1


def test_staff_visibility_is_the_programme_by_id(seir, programme, venture, other_programme):
    VentureFactory(programme=other_programme, stage_code="idea", name="Elsewhere")

    visible = selectors.ventures_visible_to(user=fresh(seir))

    assert list(visible) == [venture]
    assert f'"ventures_venture"."programme_id" IN ({programme.pk})' in str(visible.query)


def test_leaving_a_team_is_seen_by_the_next_request(seir, entrepreneur, venture, other_venture):
    # given: the entrepreneur also on another team, as the current request has cached
    services.team_member_add(actor=seir, venture=other_venture, user=entrepreneur, role="member")
    user = fresh(entrepreneur)
    assert {v.pk for v in selectors.ventures_visible_to(user=user)} == {
        venture.pk,
        other_venture.pk,
    }

    # when: removed from that team
    services.team_member_remove(actor=seir, membership=other_venture.team.get(user=entrepreneur))

    # then: the next request's user no longer sees it
    assert list(selectors.ventures_visible_to(user=fresh(entrepreneur))) == [venture]


def test_nobody_without_a_role_or_team_sees_anything_without_a_query(django_user_model):
    stranger = django_user_model.objects.create_user(username="stranger", password="x" * 12)
    user = fresh(stranger)
    selectors.ventures_visible_to(user=user)  # reads the memberships and grants once

    with CaptureQueriesContext(connection) as captured:
        result = list(selectors.ventures_visible_to(user=user))

    assert result == []
    assert len(captured.captured_queries) == 0


# --- list rows ----------------------------------------------------------------------


def test_a_list_row_shows_what_the_model_shows(venture, legal_forms):
    venture.refresh_from_db()
    queryset = selectors.ventures_visible_to(user=fresh(venture.seir)).order_by("name", "pk")

    [row] = selectors.venture_rows(queryset=queryset, start=0, stop=25)

    assert row == selectors.VentureRow(
        pk=venture.pk,
        name="Saheli Women's Centre",
        programme=venture.programme.name,
        area="Balsall Heath",
        stage=venture.stage.name,
        status=VentureStatus.ACTIVE,
        origin=venture.origin,
        is_spinout=venture.is_spinout,
        lead="Parveen Akhtar",
        seir="Samira Patel",
        days_in_stage=0,
        url=reverse("ventures:detail", args=[venture.pk]),
    )
    assert row.status_label == venture.get_status_display()
    assert row.origin_label == venture.get_origin_display()


def test_a_list_row_without_a_lead_shows_nobody(seir, programme):
    VentureFactory(programme=programme, stage_code="idea", name="Leaderless", lead=None)

    [row] = selectors.venture_rows(
        queryset=selectors.ventures_visible_to(user=fresh(seir)), start=0, stop=25
    )

    assert (row.name, row.lead) == ("Leaderless", "")


def test_venture_rows_returns_the_slice_in_order(seir, programme):
    for name in ["Delta", "Alpha", "Charlie", "Bravo", "Echo"]:
        VentureFactory(programme=programme, stage_code="idea", name=name, lead=None)
    queryset = selectors.ventures_visible_to(user=fresh(seir)).order_by("name", "pk")

    assert [r.name for r in selectors.venture_rows(queryset=queryset, start=1, stop=4)] == [
        "Bravo",
        "Charlie",
        "Delta",
    ]
    assert selectors.venture_rows(queryset=queryset, start=4, stop=4) == []


def test_venture_rows_leaves_out_a_venture_deleted_between_its_id_and_its_row(
    seir, programme, monkeypatch
):
    # given: the page's ids are read, then one of those ventures is deleted
    for name in ["Alpha", "Bravo", "Charlie"]:
        VentureFactory(programme=programme, stage_code="idea", name=name, lead=None)
    queryset = selectors.ventures_visible_to(user=fresh(seir)).order_by("name", "pk")
    read_ids = selectors.page_ids

    def ids_then_a_deletion(**kwargs):
        ids = [row["pk"] for row in read_ids(**kwargs)]
        Venture.objects.filter(name="Bravo").delete()
        return ids

    monkeypatch.setattr(selectors.rows, "page_ids", ids_then_a_deletion)

    # when
    rows = selectors.venture_rows(queryset=queryset, start=0, stop=3)

    # then: the others, in order, and no error
    assert [r.name for r in rows] == ["Alpha", "Charlie"]


# --- the board's columns in one query -----------------------------------------------


def test_ids_of_each_takes_the_slice_of_every_queryset_in_its_order(seir, programme, stages):
    made = {
        code: [
            VentureFactory(programme=programme, stage_code=code, name=f"{code} {n}", lead=None)
            for n in range(4)
        ]
        for code in ("idea", "startup")
    }
    columns = [
        Venture.objects.filter(stage=stages[code]).order_by("-name", "pk")
        for code in ("idea", "startup")
    ]

    ids = paging.ids_of_each([*columns, Venture.objects.none()], 1, 3)

    assert ids == [v.pk for v in made["idea"][2:0:-1]] + [v.pk for v in made["startup"][2:0:-1]]
    assert paging.ids_of_each(columns, 3, 3) == []
    assert paging.ids_of_each([Venture.objects.none()], 0, 10) == []


# --- running a programme ------------------------------------------------------------


def test_who_runs_a_programme(
    seir, administrator, manager, entrepreneur, commissioner, programme, other_programme
):
    assert runs_programme(fresh(seir), programme.pk)
    assert runs_programme(fresh(administrator), programme.pk)
    assert not runs_programme(fresh(seir), other_programme.pk)
    for reader in (manager, entrepreneur, commissioner):
        assert not runs_programme(fresh(reader))
        assert not runs_programme(fresh(reader), programme.pk)
    staff = User.objects.create_user(username="global", password="x" * 12, is_global_admin=True)
    assert runs_programme(fresh(staff), other_programme.pk)
    assert runs_programme(fresh(staff))


# --- the filter's cached choices ----------------------------------------------------


def _labels(client, name: str) -> list[str]:
    html = client.get(reverse("ventures:list")).content.decode()
    select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return re.findall(r'<option value="[^"]*"(?: selected)?>([^<]*)</option>', select)


def test_the_filter_offers_a_new_seir_and_a_renamed_stage_at_once(
    client, seir, programme, stages, other_programme
):
    # given: the list drawn once, so its choices are cached
    client.force_login(seir)
    assert "Samira Patel" in _labels(client, "seir")
    assert "Idea" in _labels(client, "stage")

    # when: a second SEiR joins, and a stage is renamed
    member(programme, Role.SEIR, username="second", first_name="Second", last_name="Seir")
    stage = stages["idea"]
    stage.name = "Idea or hunch"
    stage.save()

    # then: the next page offers both changes
    assert _labels(client, "seir") == ["Any SEiR", "Samira Patel", "Second Seir"]
    assert "Idea or hunch" in _labels(client, "stage")
    assert "Solihull Council SEiR programme" not in _labels(client, "programme")


def test_leaving_a_programme_removes_it_from_the_filter_at_once(
    client, seir, manager, programme, other_programme
):
    # given: a manager of two programmes, whose list has been drawn
    second = member(other_programme, Role.MANAGER, username="two-hats")
    ProgrammeMembership.objects.create(user=second, programme=programme, role=Role.MANAGER)
    client.force_login(second)
    assert set(_labels(client, "programme")) >= {programme.name, other_programme.name}

    # when: their membership of the second programme ends
    membership_remove(
        actor=seir,
        membership=ProgrammeMembership.objects.get(user=second, programme=other_programme),
    )

    # then
    assert _labels(client, "programme") == ["All programmes", programme.name]


def test_a_value_not_offered_is_still_checked_against_the_database(client, seir, other_seir):
    client.force_login(seir)
    client.get(reverse("ventures:list"))  # choices cached

    response = client.get(reverse("ventures:list"), {"seir": other_seir.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


# --- counts bounded by a cap, not by the data ---------------------------------------


def test_count_up_to_counts_exactly_below_the_cap_and_stops_above_it(seir, programme, stages):
    for n in range(5):
        VentureFactory(programme=programme, stage_code="idea", name=f"V{n}", lead=None)
    visible = selectors.ventures_visible_to(user=fresh(seir))

    assert paging.count_up_to(visible, 10) == 5
    assert paging.count_up_to(visible, 5) == 5
    assert paging.count_up_to(visible, 3) == 4  # "more than 3"
    assert paging.count_up_to(Venture.objects.none(), 3) == 0
    assert paging.counts_of_each(
        [
            visible.filter(stage=stages["idea"]),
            Venture.objects.none(),
            visible.filter(stage=stages["startup"]),
            visible,
        ],
        3,
    ) == [4, 0, 0, 4]


def test_counts_in_turn_count_each_only_as_far_as_what_is_left_of_the_total(
    seir, programme, stages
):
    for n in range(4):
        VentureFactory(programme=programme, stage_code="idea", name=f"I{n}", lead=None)
    for n in range(3):
        VentureFactory(programme=programme, stage_code="startup", name=f"S{n}", lead=None)
    visible = selectors.ventures_visible_to(user=fresh(seir))
    idea, startup = visible.filter(stage=stages["idea"]), visible.filter(stage=stages["startup"])

    # total + 1 rows between them: what the first leaves is what the next may count
    assert paging.counts_in_turn([idea, startup], 10) == [4, 3]
    assert paging.counts_in_turn([idea, startup], 5) == [4, 2]
    assert paging.counts_in_turn([idea, startup], 4) == [4, 1]
    # reached within the first: the rest are not counted at all
    assert paging.counts_in_turn([idea, Venture.objects.none(), startup, visible], 3) == [
        4,
        0,
        0,
        0,
    ]
    assert paging.counts_in_turn([Venture.objects.none(), startup, idea], 5) == [0, 3, 3]
    assert paging.counts_in_turn([], 5) == []


def _make(programme, n, stage_code="idea"):
    return [
        VentureFactory(programme=programme, stage_code=stage_code, name=f"V{i:02}", lead=None)
        for i in range(n)
    ]


def test_past_the_cap_the_list_says_more_than_and_pages_only_that_far(
    monkeypatch, client, seir, programme
):
    from ventures.views import listing

    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 3)
    monkeypatch.setattr(listing, "LIST_PAGE_SIZE", 2)
    made = _make(programme, 5)
    client.force_login(seir)

    first = client.get(reverse("ventures:list")).content.decode()
    last = client.get(reverse("ventures:list"), {"page": 99}).content.decode()

    assert "More than 3 ventures. The list shows the first 3" in first
    assert "Page 1 of 2" in first
    assert "Page 2 of 2" in last
    assert made[2].name in last and made[3].name not in last


def test_at_the_cap_the_list_gives_the_exact_count(monkeypatch, client, seir, programme):
    from ventures.views import listing

    monkeypatch.setattr(listing, "LIST_COUNT_CAP", 3)
    _make(programme, 3)
    client.force_login(seir)

    page = client.get(reverse("ventures:list")).content.decode()

    assert "3 ventures." in page and "More than" not in page


def test_a_board_column_past_the_cap_shows_cap_plus(monkeypatch, client, seir, programme, stages):
    board_views = importlib.import_module("ventures.views.board")

    monkeypatch.setattr(board_views, "BOARD_COUNT_CAP", 3)
    _make(programme, 5)
    _make(programme, 2, stage_code="startup")
    client.force_login(seir)

    page = client.get(reverse("ventures:board")).content.decode()

    idea, startup = stages["idea"].pk, stages["startup"].pk
    assert f'data-count-for="{idea}" data-count-capped>3+</span>' in page
    assert f'data-count-for="{startup}">2</span>' in page


@pytest.mark.parametrize(("ventures", "has_more"), [(20, False), (21, True)])
def test_a_columns_show_more_appears_only_when_there_is_more(
    client, seir, programme, stages, ventures, has_more
):
    from ventures.views.board import BOARD_PAGE_SIZE

    _make(programme, ventures)
    client.force_login(seir)

    response = client.get(
        reverse("ventures:board_column", args=[stages["idea"].pk]), {"offset": BOARD_PAGE_SIZE}
    )

    assert ("Show more in" in response.content.decode()) is has_more


# --- sorted by stage, a page at a time ----------------------------------------------


@pytest.mark.parametrize("sort", ["stage", "-stage"])
def test_sorting_by_stage_pages_exactly_as_the_database_orders(
    seir, programme, other_programme, sort
):
    # given: ventures in three stages of two programmes (whose stages share orders)
    for code, n in (("idea", 4), ("startup", 3), ("growth", 2)):
        _make(programme, n, stage_code=code)
    for n in range(2):
        VentureFactory(programme=other_programme, stage_code="startup", name=f"O{n}", lead=None)
    admin = User.objects.create_user(username="global", password="x" * 12, is_global_admin=True)
    queryset = selectors.venture_list(user=fresh(admin), filters={"sort": sort}).qs
    expected = [v.pk for v in queryset]  # the database's own order, every row

    # when / then: every slice, including ones across stages, is that order's slice
    assert len(expected) == 11
    slices = [(0, 25), (0, 3), (3, 6), (4, 9), (8, 11), (10, 25), (11, 20)]
    # ...and pages ending on, just before and just after a stage's last row
    slices += [(0, 4), (3, 4), (4, 5), (6, 7), (7, 8), (2, 8), (5, 6)]
    for start, stop in slices:
        page = selectors.page_of(queryset=queryset, start=start, stop=stop)
        assert [v.pk for v in page] == expected[start:stop], (start, stop)
        rows = selectors.venture_rows(queryset=queryset, start=start, stop=stop)
        assert [r.pk for r in rows] == expected[start:stop], (start, stop)
