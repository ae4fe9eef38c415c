"""Issue 16 item 3: "What is being asked of you" on My ventures lists everything waiting
on the team (ventures.asks, filled by checklists, plans, commissioning and funding),
each with a link to act, most urgent first; plan feedback becomes read per person."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.factories import ProgrammeFactory, member
from accounts.roles import Role
from checklists import services as checklist_services
from checklists.models import ItemStatus
from commissioning.factories import ContactFactory, SupportProviderFactory
from commissioning.models import Step
from commissioning.services import (
    introduction_make,
    referral_move,
    support_referral_make,
)
from funding.factories import FundingApplicationFactory
from funding.models import ApplicationStatus, Fund
from inbox.models import Read
from plans import factories as plan_factories
from plans import services as plan_services
from plans.models import PlanComment
from tests.clients import client_for
from tests.html_forms import page_forms
from ventures.asks import DUE_SOON_DAYS, AskKind, team_asks
from ventures.factories import VentureFactory
from ventures.gates import gate_status
from ventures.models import GateCondition, TeamMembership

pytestmark = pytest.mark.django_db

MINE = "/ventures/mine/"


# --- reading the page -------------------------------------------------------------------


@dataclass
class ShownAsk:
    venture: str
    kind: str
    text: str = ""
    href: str = ""
    detail: str = ""
    buttons: list[str] = field(default_factory=list)


class _AskReader(HTMLParser):
    """The asks of My ventures as a person sees them: per venture card, each ask's kind,
    link text and address, detail and buttons."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.asks: list[ShownAsk] = []
        self.venture = ""
        self._in_title = False
        self._ask: ShownAsk | None = None
        self._capture: str | None = None
        self._depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "h2" and (attrs.get("id") or "").endswith("-title"):
            self._in_title, self.venture = True, ""
        if tag == "li" and "ask" in (attrs.get("class") or "").split():
            self._ask = ShownAsk(venture=self.venture, kind=attrs["data-ask-kind"])
            self.asks.append(self._ask)
            self._depth = 0
        elif self._ask is not None:
            if tag == "li":
                self._depth += 1
            if tag == "a" and not self._ask.href:
                self._ask.href, self._capture = attrs["href"], "text"
            elif tag == "span" and "ask-detail" in (attrs.get("class") or ""):
                self._capture = "detail"
            elif tag == "button":
                self._ask.buttons.append("")
                self._capture = "button"

    def handle_endtag(self, tag):
        if tag == "h2":
            self._in_title = False
        if self._ask is not None and tag in ("a", "span", "button") and self._capture:
            if not (tag == "span" and self._capture == "button"):
                self._capture = None
        if tag == "li" and self._ask is not None:
            if self._depth:
                self._depth -= 1
            else:
                self._ask = None

    def handle_data(self, data):
        if self._in_title:
            self.venture += data
        if self._ask is None or self._capture is None:
            return
        if self._capture == "text":
            self._ask.text += data
        elif self._capture == "detail":
            self._ask.detail += data
        else:
            self._ask.buttons[-1] += data


def shown_asks(response) -> list[ShownAsk]:
    assert response.status_code == 200
    reader = _AskReader()
    reader.feed(response.content.decode())
    return reader.asks


# --- people and ventures ----------------------------------------------------------------


@pytest.fixture
def programme():
    return ProgrammeFactory(name="Birmingham East and North SEiR programme")


@pytest.fixture
def seir(programme):
    return member(programme, Role.SEIR, username="seir", first_name="Samira", last_name="Patel")


@pytest.fixture
def esther(programme):
    return member(
        programme, Role.ENTREPRENEUR, username="esther", first_name="Esther", last_name="Okafor"
    )


@pytest.fixture
def tom(programme):
    return member(programme, Role.ENTREPRENEUR, username="tom", first_name="Tom", last_name="Mate")


@pytest.fixture
def omar(programme):
    """The entrepreneur of another team in the same programme."""
    return member(
        programme, Role.ENTREPRENEUR, username="omar", first_name="Omar", last_name="Other"
    )


@pytest.fixture
def venture(programme, seir, esther, tom):
    venture = VentureFactory(
        programme=programme,
        stage_code="startup",
        name="Saheli Women's Centre",
        lead=esther,
        seir=seir,
    )
    TeamMembership.objects.create(venture=venture, user=tom)
    return venture


@pytest.fixture
def other_venture(programme, seir, omar):
    return VentureFactory(
        programme=programme,
        stage_code="startup",
        name="Small Heath Youth Radio",
        lead=omar,
        seir=seir,
    )


@pytest.fixture
def today():
    return timezone.localdate()


def _checklist(seir, venture):
    return checklist_services.checklist_create(actor=seir, venture=venture, template=None)


def _item(seir, checklist, label, *, due=None):
    return checklist_services.checklist_item_add(
        actor=seir, checklist=checklist, section="Governance", label=label, due_date=due
    )


def _submit(team, item):
    # A returned item still has its link: resubmitting it needs no second copy (refused).
    if not item.evidence.filter(url="https://example.org/doc", superseded_at__isnull=True).exists():
        checklist_services.evidence_add_link(actor=team, item=item, url="https://example.org/doc")
    checklist_services.checklist_item_move(actor=team, item=item, to_status=ItemStatus.SUBMITTED)


def _return(seir, team, item, comment):
    _submit(team, item)
    checklist_services.checklist_item_move(
        actor=seir, item=item, to_status=ItemStatus.RETURNED, comment=comment
    )


def _feedback(seir, team, venture, comments: dict[str, str]):
    plan_factories.write(team, venture, {"executive-summary": "We run a women's centre."})
    version = plan_factories.submit(team, venture)
    plan_factories.review(seir, version, comments)
    return version


def _introduced(seir, venture, *, contact_name="Claire Evans", commissioner="NHS Birmingham"):
    contact = ContactFactory(name=contact_name, commissioner__name=commissioner)
    introduction = introduction_make(
        actor=seir, venture=venture, contact=contact, purpose="Falls prevention for carers."
    )
    referral_move(actor=seir, referral=introduction, to_step=Step.INTRODUCED)
    referral_move(
        actor=seir,
        referral=introduction,
        to_step=Step.MEETING_AGREED,
        proposed_dates=[datetime.date.today() + datetime.timedelta(days=7)],
    )
    return introduction


def _referred(seir, venture):
    provider = SupportProviderFactory(name="Brum Legal Clinic")
    referral = support_referral_make(
        actor=seir, venture=venture, provider=provider, purpose="Articles of association."
    )
    referral_move(actor=seir, referral=referral, to_step=Step.INTRODUCED)
    return referral


def _day(date) -> str:
    return f"{date:%-d %B %Y}"


@pytest.fixture
def everything(seir, esther, venture, today):
    """One ask of every kind on ``venture``, and things that must NOT ask anything."""
    checklist = _checklist(seir, venture)
    returned = _item(seir, checklist, "CQC registration", due=today + datetime.timedelta(days=20))
    _return(seir, esther, returned, "The certificate is for another address.")
    overdue = _item(seir, checklist, "Safeguarding policy", due=today - datetime.timedelta(days=3))
    soon = _item(seir, checklist, "Insurance", due=today + datetime.timedelta(days=DUE_SOON_DAYS))
    later = _item(
        seir, checklist, "Trademark", due=today + datetime.timedelta(days=DUE_SOON_DAYS + 1)
    )
    accepted = _item(seir, checklist, "Bank account", due=today - datetime.timedelta(days=5))
    _submit(esther, accepted)
    checklist_services.checklist_item_move(actor=seir, item=accepted, to_status=ItemStatus.ACCEPTED)
    not_applicable = _item(seir, checklist, "TUPE", due=today - datetime.timedelta(days=5))
    checklist_services.checklist_item_move(
        actor=seir, item=not_applicable, to_status=ItemStatus.NOT_APPLICABLE, comment="No staff."
    )
    submitted = _item(seir, checklist, "Accounts", due=today - datetime.timedelta(days=1))
    _submit(esther, submitted)
    removed = _item(seir, checklist, "Lease", due=today - datetime.timedelta(days=1))
    checklist_services.checklist_item_remove(actor=seir, item=removed, reason="Not needed.")
    version = _feedback(
        seir,
        esther,
        venture,
        {"executive-summary": "Say who the centre serves.", "": "A good start."},
    )
    introduction = _introduced(seir, venture)
    referral = _referred(seir, venture)
    fund = Fund.objects.get(code="seif")
    application = FundingApplicationFactory(
        venture=venture,
        fund=fund,
        purpose="Fit out the hall",
        deadline=today + datetime.timedelta(days=2),
    )
    # Drafting with a far deadline, and submitted past its deadline: nothing to do now.
    FundingApplicationFactory(
        venture=venture, fund=fund, deadline=today + datetime.timedelta(days=60)
    )
    FundingApplicationFactory(
        venture=venture,
        fund=fund,
        status=ApplicationStatus.SUBMITTED,
        deadline=today - datetime.timedelta(days=9),
    )
    return {
        "returned": returned,
        "overdue": overdue,
        "soon": soon,
        "later": later,
        "version": version,
        "introduction": introduction,
        "referral": referral,
        "application": application,
        "fund": fund,
    }


# --- the asks ---------------------------------------------------------------------------


def test_each_kind_of_ask_appears_most_urgent_first_with_its_text_and_link(
    esther, venture, everything, today
):
    # given one thing of every kind waiting on the team, and things that wait on nobody
    # when a team member opens My ventures
    asks = shown_asks(client_for(esther).get(MINE))

    # then each is listed under the venture, most urgent first, each linking to where to act
    things = everything
    version = things["version"]
    assert [(a.venture, a.kind, a.text, a.href, a.detail) for a in asks] == [
        (
            venture.name,
            AskKind.RETURNED,
            f"“CQC registration” was returned: change it and submit it again "
            f"(due {_day(today + datetime.timedelta(days=20))})",
            reverse("checklists:item", args=[things["returned"].pk]),
            "The certificate is for another address.",
        ),
        (
            venture.name,
            AskKind.OVERDUE,
            f"“Safeguarding policy” was due on {_day(today - datetime.timedelta(days=3))}",
            reverse("checklists:item", args=[things["overdue"].pk]),
            "",
        ),
        (
            venture.name,
            AskKind.DUE_SOON,
            f"Submit the {things['fund'].name} application by "
            f"{_day(today + datetime.timedelta(days=2))}",
            reverse("funding:venture", args=[venture.pk]) + f"#app-{things['application'].pk}",
            "Fit out the hall",
        ),
        (
            venture.name,
            AskKind.DUE_SOON,
            f"“Insurance” is due on {_day(today + datetime.timedelta(days=DUE_SOON_DAYS))}",
            reverse("checklists:item", args=[things["soon"].pk]),
            "",
        ),
        (
            venture.name,
            AskKind.FEEDBACK,
            f"Read your SEiR's feedback on version {version.number} of the business plan",
            reverse("plans:version", args=[venture.pk, version.number]),
            "2 comments you have not read yet.",
        ),
        (
            venture.name,
            AskKind.WAITING,
            f"Meet Claire Evans of NHS Birmingham: a meeting was agreed on {_day(today)}",
            reverse("commissioning:venture_tab", args=[venture.pk]) + "#intros-title",
            "Falls prevention for carers.",
        ),
        (
            venture.name,
            AskKind.WAITING,
            f"Take up legal support with Brum Legal Clinic: introduced on {_day(today)}",
            reverse("commissioning:referral", args=[things["referral"].pk]),
            "Articles of association.",
        ),
    ]
    # only the unread feedback offers "Mark as read"
    assert [a.buttons for a in asks if a.buttons] == [
        [
            "Mark as read: Read your SEiR's feedback on version 1 of the business plan, "
            f"{venture.name}"
        ]
    ]


def test_each_link_opens_for_the_team_member(esther, everything):
    client = client_for(esther)
    for ask in shown_asks(client.get(MINE)):
        assert client.get(ask.href).status_code == 200, ask.href


def test_another_teams_entrepreneur_sees_none_of_it(omar, other_venture, esther, everything):
    # given everything waiting on Saheli's team
    # when the entrepreneur of another venture opens My ventures
    response = client_for(omar).get(MINE)

    # then they see their own venture with nothing asked, and nothing of Saheli's
    assert shown_asks(response) == []
    page = response.content.decode()
    assert other_venture.name in page
    assert "Saheli" not in page and "CQC registration" not in page
    # and the registry itself gives nothing for a venture they are not on the team of
    venture = everything["returned"].checklist.venture
    assert team_asks(user=omar, ventures=[venture, other_venture]) == {}


def test_accepted_not_applicable_submitted_removed_and_later_items_ask_nothing(esther, everything):
    texts = " ".join(a.text for a in shown_asks(client_for(esther).get(MINE)))
    for label in ("Bank account", "TUPE", "Accounts", "Lease", "Trademark"):
        assert label not in texts


def test_an_item_accepted_after_its_return_stops_asking(seir, esther, venture, everything):
    item = everything["returned"]
    _submit(esther, item)
    assert AskKind.RETURNED not in [a.kind for a in shown_asks(client_for(esther).get(MINE))]
    checklist_services.checklist_item_move(actor=seir, item=item, to_status=ItemStatus.ACCEPTED)
    assert "CQC registration" not in client_for(esther).get(MINE).content.decode()


def test_expired_evidence_asks_for_new_evidence(seir, esther, venture, today):
    checklist = _checklist(seir, venture)
    item = _item(seir, checklist, "Public liability insurance")
    _submit(esther, item)
    checklist_services.checklist_item_move(
        actor=seir, item=item, to_status=ItemStatus.ACCEPTED, expires_on=today
    )
    checklist_services.checklist_items_expire(today=today + datetime.timedelta(days=1))

    [ask] = shown_asks(client_for(esther).get(MINE))

    assert (ask.kind, ask.text, ask.href) == (
        AskKind.EXPIRED,
        f"The evidence for “Public liability insurance” has expired (valid until {_day(today)}): "
        "add new evidence",
        reverse("checklists:item", args=[item.pk]),
    )


def test_a_funding_deadline_passed_while_drafting_is_overdue(esther, venture, today):
    fund = Fund.objects.get(code="seif")
    past = today - datetime.timedelta(days=1)
    application = FundingApplicationFactory(venture=venture, fund=fund, deadline=past)

    [ask] = shown_asks(client_for(esther).get(MINE))

    assert (ask.kind, ask.text, ask.href) == (
        AskKind.OVERDUE,
        f"The {fund.name} application's deadline was {_day(past)} and it is still drafting: "
        "record it as submitted, or withdraw it",
        reverse("funding:venture", args=[venture.pk]) + f"#app-{application.pk}",
    )


def test_feedback_not_yet_released_or_on_an_older_version_asks_nothing(seir, esther, venture):
    # given feedback the SEiR is still writing (not released)
    plan_factories.write(esther, venture, {"executive-summary": "A centre."})
    version = plan_factories.submit(esther, venture)
    plan_services.plan_comment_add(actor=seir, version=version, section_code="", body="Draft.")
    assert shown_asks(client_for(esther).get(MINE)) == []
    # given released feedback, then a newer version that answers it
    plan_factories.review(seir, version, {})
    assert [a.kind for a in shown_asks(client_for(esther).get(MINE))] == [AskKind.FEEDBACK]
    plan_factories.write(esther, venture, {"executive-summary": "A centre for women in Aston."})
    plan_factories.submit(esther, venture)
    assert shown_asks(client_for(esther).get(MINE)) == []


def test_the_introduction_step_asks_only_while_it_is_the_teams_move(seir, esther, venture):
    contact = ContactFactory(name="Claire Evans", commissioner__name="NHS Birmingham")
    introduction = introduction_make(actor=seir, venture=venture, contact=contact, purpose="x")
    referral_move(actor=seir, referral=introduction, to_step=Step.INTRODUCED)
    # Introduced: the commissioner's answer is awaited, nothing is asked of the team.
    assert shown_asks(client_for(esther).get(MINE)) == []
    referral_move(
        actor=seir,
        referral=introduction,
        to_step=Step.MEETING_AGREED,
        proposed_dates=[datetime.date.today() + datetime.timedelta(days=3)],
    )
    assert [a.kind for a in shown_asks(client_for(esther).get(MINE))] == [AskKind.WAITING]
    referral_move(actor=seir, referral=introduction, to_step=Step.MEETING_HELD)
    assert shown_asks(client_for(esther).get(MINE)) == []


def test_nothing_waiting_says_so(esther, venture):
    # given a venture with nothing waiting and a stage without gate conditions
    GateCondition.objects.filter(stage=venture.stage).delete()

    # when a team member opens My ventures
    response = client_for(esther).get(MINE)

    # then the card says so, and lists nothing
    assert shown_asks(response) == []
    assert "Nothing is waiting on you." in response.content.decode()


def test_gate_conditions_are_still_listed_each_linking_to_the_gate(esther, venture):
    page = client_for(esther).get(MINE).content.decode()
    gate = reverse("ventures:detail", args=[venture.pk]) + "#gate"
    unmet = [r.condition.label for r in gate_status(venture).unmet]
    assert unmet
    assert "To move on from Start-up, these still need to be in place:" in page
    for label in unmet:
        assert f'<a href="{gate}">{escape(label)}</a>' in page


# --- reading feedback -------------------------------------------------------------------


def _feedback_asks(user):
    return [a for a in shown_asks(client_for(user).get(MINE)) if a.kind == AskKind.FEEDBACK]


def test_opening_the_version_page_reads_the_feedback_for_that_person_only(
    esther, tom, venture, everything
):
    version = everything["version"]
    # when Esther opens the version page where the feedback is shown
    client_for(esther).get(reverse("plans:version", args=[venture.pk, version.number]))

    # then the feedback no longer asks anything of her, but still of her teammate
    assert _feedback_asks(esther) == []
    assert len(_feedback_asks(tom)) == 1
    assert Read.objects.filter(user=esther).count() == 2


def test_opening_the_plan_tab_reads_the_latest_feedback(esther, venture, everything):
    client_for(esther).get(reverse("plans:plan", args=[venture.pk]))
    assert _feedback_asks(esther) == []


def test_the_seir_opening_the_pages_records_nothing(seir, venture, everything):
    version = everything["version"]
    client_for(seir).get(reverse("plans:version", args=[venture.pk, version.number]))
    client_for(seir).get(reverse("plans:plan", args=[venture.pk]))
    assert not Read.objects.exists()


def test_mark_as_read_on_my_ventures(esther, tom, everything):
    # given the feedback ask's "Mark as read" form, as the page shows it
    client = client_for(esther)
    page = client.get(MINE).content.decode()
    [form] = [f for f in page_forms(page) if f.action == reverse("inbox:read")]

    # when Esther presses it (twice: a double click)
    data = {"thing": _thing_values(page), "next": form.values["next"]}
    response = client.post(form.action, data)
    client.post(form.action, data)

    # then she is back on My ventures, the feedback is read once per comment, for her alone
    assert response.status_code == 302 and response["Location"] == MINE
    assert _feedback_asks(esther) == []
    assert len(_feedback_asks(tom)) == 1
    comments = set(PlanComment.objects.values_list("pk", flat=True))
    assert set(Read.objects.filter(user=esther).values_list("object_id", flat=True)) == comments
    assert Read.objects.count() == len(comments) == 2


def _thing_values(page: str) -> list[str]:
    return re.findall(r'name="thing" value="([^"]+)"', page)


@pytest.mark.parametrize("who", ["omar", "seir"])
def test_no_one_else_can_mark_the_teams_feedback_read(who, request, everything):
    user = request.getfixturevalue(who)
    things = [f"plans.plancomment:{pk}" for pk in PlanComment.objects.values_list("pk", flat=True)]

    response = client_for(user).post(reverse("inbox:read"), {"thing": things, "next": MINE})

    assert response.status_code == 404
    assert not Read.objects.exists()


@pytest.mark.parametrize(
    "things",
    [
        [],
        ["plans.plancomment:0"],
        ["plans.plancomment:99999999999999999999"],
        ["plans.plancomment:-1"],
        ["plans.plancomment:１"],
        ["plans.plancomment:1\x00"],
        ["auth.user:1"],
        ["nonsense"],
        ["plans.plancomment:1"] * 501,
    ],
)
def test_hostile_mark_read_posts_get_a_clear_answer_and_write_nothing(esther, everything, things):
    response = client_for(esther).post(
        reverse("inbox:read"), {"thing": things, "next": "https://evil.example/"}
    )
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == "/"  # never off-site
    assert not Read.objects.exists()


def test_mark_read_is_post_only(esther):
    assert client_for(esther).get(reverse("inbox:read")).status_code == 405


# --- queries ----------------------------------------------------------------------------


def _grow(seir, team, n, programme, today, start=0):
    """``n`` ventures of ``team``'s, each with a returned, an overdue and a due-soon item,
    unread feedback, an introduction, a referral and a funding deadline."""
    fund = Fund.objects.get(code="seif")
    for index in range(start, start + n):
        venture = VentureFactory(
            programme=programme,
            stage_code="startup",
            name=f"Venture {index:02d}",
            lead=team,
            seir=seir,
        )
        checklist = _checklist(seir, venture)
        _return(seir, team, _item(seir, checklist, "Returned"), "Fix it.")
        for offset in (-3, -1, 2, 5):
            _item(seir, checklist, f"Due {offset}", due=today + datetime.timedelta(days=offset))
        _feedback(seir, team, venture, {"executive-summary": "More.", "": "Good."})
        _introduced(seir, venture, contact_name=f"Contact {index}", commissioner=f"ICB {index}")
        if index == 0:
            _referred(seir, venture)
        FundingApplicationFactory(venture=venture, fund=fund, deadline=today)


def _count(client) -> int:
    client.get(MINE)  # warm per-process caches (content types, templates)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(MINE)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_my_ventures_query_count_is_pinned_and_does_not_grow(seir, esther, programme, today):
    # given one venture with one thing of every kind
    _grow(seir, esther, 1, programme, today)
    client = client_for(esther)
    one = _count(client)
    assert len(shown_asks(client.get(MINE))) == 9

    # when the team has six ventures with many items each
    _grow(seir, esther, 5, programme, today, start=1)
    many = _count(client)

    # then the page asks the database the same number of times: session, user, ventures,
    # gate (three kinds; its conditions are reference data), the team check, checklist
    # items, plan feedback and what of it was read, introductions, referrals, funding, and
    # the navigation's two
    assert len(shown_asks(client.get(MINE))) == 9 + 5 * 8
    assert (one, many) == (15, 15)
