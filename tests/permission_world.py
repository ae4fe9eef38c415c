"""One programme world for the permission matrix (tests/test_permission_matrix.py).

Programme A ("home") with a person in every role, the venture of team A with something of
every kind hanging off it (a plan version with feedback, a checklist item with evidence,
a funding application with a document, an indicator with a measurement, an introduction
to organisation A with a contract, a support referral), the scouting directory (a
meeting, a follow-up, a person, an organisation, an idea), an invitation, a report, a
notification and a calendar link; the venture of team B in the same programme; and
programme B with its own SEiR and venture.

``World.value(key)`` turns the names a matrix row uses for its route's arguments
(``on={"pk": "application"}``) into what goes into the address.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.factories import ProgrammeFactory, UserFactory, global_admin, member
from accounts.models import ProgrammeMembership, User
from accounts.roles import Role
from checklists import services as checklist_services
from checklists.factories import pdf_upload
from checklists.models import ChecklistItem, ChecklistTemplate
from commissioning.factories import (
    CommissionerFactory,
    ContactFactory,
    PriorityFactory,
    SupportProviderFactory,
    WindowFactory,
)
from commissioning.models import OrganisationType
from commissioning.services import contract_record, introduction_make, support_referral_make
from events.models import Event
from funding import services as funding_services
from funding.models import Fund
from inbox.models import Notification
from invitations.services import invitation_create
from outcomes import services as outcome_services
from outcomes.models import OutcomeDomain
from plans import factories as plan_factories
from plans import services as plan_services
from progress.services import report_request, report_run_execute
from reminders.models import Reminder, ReminderKind
from reminders.services import calendar_feed_create
from scouting.factories import (
    FollowUpFactory,
    IdeaFactory,
    MeetingFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.reference_data import reference_data_restore
from ventures import services as venture_services
from ventures.factories import VentureFactory
from ventures.models import FieldChange, TeamMembership, TeamRole

from .permission_matrix import IDENTITIES


@dataclass
class World:
    people: dict[str, User | None]
    objects: dict[str, object] = field(default_factory=dict)
    clients: dict = field(default_factory=dict)

    def value(self, key: str) -> str:
        """``"venture"`` -> the venture's id; a plain string is used as it is."""
        if key.startswith("="):
            return key[1:]
        found = self.objects[key]
        return str(getattr(found, "pk", found))


def _people(home, away) -> dict[str, User | None]:
    people = {
        "anonymous": None,
        "global_admin": global_admin(username="mx-global-admin"),
        "programme_admin": member(
            home, Role.ADMINISTRATOR, global_admin=False, username="mx-programme-admin"
        ),
        "seir": member(home, Role.SEIR, username="mx-seir"),
        "other_seir": member(away, Role.SEIR, username="mx-other-seir"),
        "manager": member(home, Role.MANAGER, username="mx-manager"),
        "commissioner": member(home, Role.COMMISSIONER, username="mx-commissioner"),
        "other_commissioner": member(home, Role.COMMISSIONER, username="mx-other-commissioner"),
        "entrepreneur": member(home, Role.ENTREPRENEUR, username="mx-entrepreneur"),
        "other_entrepreneur": member(home, Role.ENTREPRENEUR, username="mx-other-entrepreneur"),
        "no_membership": UserFactory(username="mx-no-membership"),
        # Deactivated after signing in (tests/test_permission_matrix.py): a global
        # administrator and SEiR of programme A, so any access it kept would show.
        "deactivated": member(home, Role.SEIR, username="mx-deactivated", global_admin=True),
    }
    assert set(people) == set(IDENTITIES)
    return people


# Reference data made by migrations, flushed by any transactional test that ran before
# this module without serialized_rollback; each seeding function is idempotent.
def build_world() -> World:
    reference_data_restore()
    home = ProgrammeFactory(name="Matrix home programme")
    away = ProgrammeFactory(name="Matrix away programme")
    people = _people(home, away)
    seir, lead = people["seir"], people["entrepreneur"]
    world = World(people=people)
    o = world.objects
    o.update(home=home, away=away)

    venture = VentureFactory(
        programme=home, name="Saheli Women's Centre", stage_code="startup", lead=lead, seir=seir
    )
    o["venture"] = venture
    o["other_venture"] = VentureFactory(
        programme=home, name="Men's Sheds", lead=people["other_entrepreneur"], seir=seir
    )
    o["foreign_venture"] = VentureFactory(
        programme=away, name="Solihull Food Bank", seir=people["other_seir"]
    )
    co_founder = member(home, Role.ENTREPRENEUR, username="mx-co-founder")
    o["team_membership"] = TeamMembership.objects.create(
        venture=venture, user=co_founder, role=TeamRole.CO_FOUNDER
    )
    o["stage"] = venture.stage
    o["gate_condition"] = venture.stage.gate_conditions.order_by("pk").first()
    venture_services.venture_note_add(
        actor=seir, venture=venture, body="Met the trustees.", visibility="team"
    )
    o["field_change"] = FieldChange.objects.create(
        venture=venture,
        field="area",
        old_value="Balsall Heath",
        new_value=venture.area,
        old_display="Balsall Heath",
        new_display=venture.area,
        changed_by=seir,
        changed_at=timezone.now(),
    )
    _scouting(world, home, seir)
    _plan(world, venture, seir, lead)
    _checklist(world, venture, seir)
    _commissioning(world, venture, seir)
    _funding_and_outcomes(world, venture, seir, lead)
    _programme_things(world, home, seir, lead)
    return world


def _scouting(world: World, home, seir) -> None:
    o = world.objects
    o["organisation"] = OrganisationFactory(programme=home, name="Balsall Heath Forum")
    o["person"] = PersonFactory(programme=home, name="Priya Shah", organisation=o["organisation"])
    o["meeting"] = MeetingFactory(
        programme=home, attendees=[o["person"]], organisations=[o["organisation"]]
    )
    o["followup"] = FollowUpFactory(programme=home, meeting=o["meeting"], assignee=seir)
    o["idea"] = IdeaFactory(
        programme=home, title="Walking football", source_meetings=[o["meeting"]]
    )


def _plan(world: World, venture, seir, lead) -> None:
    o = world.objects
    code = "executive-summary"
    section = plan_factories.section(code)
    o["plan_section"] = section.code
    plan_factories.write(lead, venture, {section.code: "We run a women's centre."})
    version = plan_factories.submit(lead, venture, note="First draft.")
    o["plan_version"] = version.number
    comment = plan_services.plan_comment_add(
        actor=seir, version=version, section_code=section.code, body="Say who pays."
    )
    o["plan_comment"] = comment


def _checklist(world: World, venture, seir) -> None:
    o = world.objects
    checklist_services.checklist_create(
        actor=seir, venture=venture, template=ChecklistTemplate.objects.get(code="default")
    )
    item = ChecklistItem.objects.filter(checklist__venture=venture).order_by("pk").first()
    o["checklist_item"] = item
    o["evidence"] = checklist_services.evidence_add_file(
        actor=seir, item=item, upload=pdf_upload("constitution.pdf")
    )


def _commissioning(world: World, venture, seir) -> None:
    o, people = world.objects, world.people
    ours = CommissionerFactory(
        name="BEN PCT", organisation_type=OrganisationType.objects.get(code="pct-icb")
    )
    theirs = CommissionerFactory(
        name="Birmingham City Council",
        organisation_type=OrganisationType.objects.get(code="local-authority"),
    )
    o["commissioner_org"] = ours
    contact = ContactFactory(commissioner=ours, name="Claire", user=people["commissioner"])
    ContactFactory(commissioner=theirs, name="Colin", user=people["other_commissioner"])
    ours.members.add(people["commissioner"])
    theirs.members.add(people["other_commissioner"])
    o["priority"] = PriorityFactory(commissioner=ours, title="COPD rehabilitation")
    WindowFactory(priority=o["priority"])
    o["introduction"] = introduction_make(
        actor=seir, venture=venture, contact=contact, purpose="Talk about a pilot."
    )
    today = timezone.localdate()
    o["contract"] = contract_record(
        actor=seir,
        venture=venture,
        commissioner=ours,
        service="Women's health sessions",
        value=Decimal("12000.00"),
        start_date=today,
        end_date=today + datetime.timedelta(days=365),
        introduction=o["introduction"],
    )
    o["referral"] = support_referral_make(
        actor=seir, venture=venture, provider=SupportProviderFactory(), purpose="Legal form."
    )


def _funding_and_outcomes(world: World, venture, seir, lead) -> None:
    o = world.objects
    application = funding_services.application_create(
        actor=lead,
        venture=venture,
        fund=Fund.objects.get(code="seif"),
        purpose="Start-up costs",
        amount_requested=Decimal("5000.00"),
    )
    o["application"] = application
    o["funding_document"] = funding_services.document_add(
        actor=lead, application=application, upload=pdf_upload("budget.pdf", "Budget")
    )
    indicator = outcome_services.indicator_add(
        actor=seir,
        venture=venture,
        domain=OutcomeDomain.objects.get(number=2),
        name="Women attending",
        unit="people",
        baseline=Decimal("10"),
        target=Decimal("40"),
    )
    o["indicator"] = indicator
    o["measurement"] = outcome_services.measurement_record(
        actor=seir,
        indicator=indicator,
        measured_on=timezone.localdate() - datetime.timedelta(days=7),
        value=Decimal("18"),
    )


def _programme_things(world: World, home, seir, lead) -> None:
    o = world.objects
    tokens = []
    o["invitation"] = invitation_create(
        actor=seir,
        programme=home,
        email="newcomer@example.org",
        name="Nia Newcomer",
        role=Role.ENTREPRENEUR,
        link_for=lambda token: tokens.append(token) or f"/invitations/{token}/",
        venture=o["venture"],
        team_role=TeamRole.MEMBER,
    )
    o["invitation_token"] = tokens[0]
    leaver = member(home, Role.ENTREPRENEUR, username="mx-leaver")
    o["programme_membership"] = ProgrammeMembership.objects.get(programme=home, user=leaver)
    run, _created = report_request(actor=seir, programme=home)
    o["report_run"] = report_run_execute(run_id=run.pk)
    o["report"] = o["report_run"].report
    event = Event.objects.filter(venture_id=o["venture"].pk).order_by("pk").first()
    o["notification"] = Notification.objects.create(
        user=lead, event=event, link=f"/ventures/{o['venture'].pk}/", created_at=timezone.now()
    )
    o["calendar_token"] = calendar_feed_create(actor=lead).token
    # A SEiR's authenticator app (the admin's device pages are about it).
    TOTPDevice.objects.create(user=seir, name="Phone", confirmed=True)
    o["organisation_content_type"] = ContentType.objects.get_for_model(o["commissioner_org"])
    # A reminder row, so the admin's reminder pages have a record to refuse.
    Reminder.objects.create(
        key="matrix",
        recipient=lead,
        kind=ReminderKind.values[0],
        text="Upload the constitution.",
        url="/",
        run=uuid.uuid4(),
        created_at=timezone.now(),
    )
