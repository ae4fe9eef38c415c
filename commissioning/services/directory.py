"""The commissioner directory (organisations, contacts, priorities, windows) and each
venture's focus (outcome domains and service areas, used for matching)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Programme, User
from accounts.permissions import access_forget
from events.services import event_record
from seir.refusals import require
from ventures.models import Venture

from .. import permissions, selectors
from ..models import (
    Commissioner,
    Contact,
    OrganisationType,
    OutcomeDomain,
    Priority,
    ProcurementWindow,
    ServiceArea,
    VentureFocus,
)

_DIRECTORY_REFUSAL = "Only a SEiR or an administrator can change the commissioner directory."


@transaction.atomic
def commissioner_create(
    *,
    actor: User,
    name: str,
    organisation_type: OrganisationType,
    service_areas=(),
    area: str = "",
    notes: str = "",
) -> Commissioner:
    require(permissions.can_manage_commissioners(actor), _DIRECTORY_REFUSAL)
    commissioner = Commissioner(
        name=name.strip(), organisation_type=organisation_type, area=area.strip(), notes=notes
    )
    commissioner.full_clean()
    try:
        with transaction.atomic():  # a savepoint: the refusal below leaves nothing behind
            commissioner.save()
    except IntegrityError:
        # Someone added the same name after full_clean looked (two people at once): the
        # refusal full_clean would have given a moment later, not an error page.
        if not Commissioner.objects.filter(name=commissioner.name).exists():
            raise
        raise ValidationError(
            {"name": commissioner.unique_error_message(Commissioner, ("name",))}
        ) from None
    commissioner.service_areas.set(service_areas)
    event_record(
        actor=actor,
        kind="commissioning.commissioner_added",
        subject=commissioner,
        data={"name": commissioner.name, "type": organisation_type.name},
    )
    return commissioner


@transaction.atomic
def contact_add(
    *,
    actor: User,
    commissioner: Commissioner,
    name: str,
    role: str = "",
    email: str = "",
    phone: str = "",
    user: User | None = None,
) -> Contact:
    require(permissions.can_manage_commissioners(actor), _DIRECTORY_REFUSAL)
    contact = Contact(
        commissioner=commissioner,
        name=name.strip(),
        role=role.strip(),
        email=email.strip(),
        phone=phone.strip(),
        user=user,
    )
    contact.full_clean()
    contact.save()
    event_record(
        actor=actor,
        kind="commissioning.contact_added",
        subject=contact,
        data={"name": contact.name, "commissioner": commissioner.name},
    )
    return contact


@transaction.atomic
def contact_account_link(*, actor: User, contact: Contact, user: User) -> Contact:
    """Link ``user``'s account to an existing contact without one (e.g. a commissioner
    invited back after their role was removed), instead of a second record of them."""
    require(permissions.can_manage_commissioners(actor), _DIRECTORY_REFUSAL)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.user_id is not None:
        raise ValidationError({"user": "That contact is already linked to an account."})
    contact.user = user
    contact.full_clean()
    contact.save(update_fields=["user"])
    event_record(
        actor=actor,
        kind="commissioning.contact_account_linked",
        subject=contact,
        data={
            "name": contact.name,
            "commissioner": contact.commissioner.name,
            "account": user.display_name,
        },
    )
    return contact


def commissioner_account_unlink_check(*, actor: User, programme: Programme) -> None:
    """Refuse as ``commissioner_account_unlink`` would, changing nothing: for a form
    that asks before it saves anything."""
    require(
        permissions.can_unlink_commissioner_account(actor, programme),
        "Only the programme's SEiRs and administrators can end a commissioner's access.",
    )


@transaction.atomic
def commissioner_account_unlink(
    *, actor: User, user: User, programme: Programme
) -> list[Commissioner]:
    """End ``user``'s access as a commissioner when their Commissioner role in
    ``programme`` is taken away: their account leaves the organisations the rule in
    ``selectors.commissioner_account_unlink_scope`` names (as a member, and as the user
    of any of their contacts). The contacts stay in the directory, unchanged but for
    the account link. Returns the organisations left; nothing to unlink records nothing.

    Access is read from these links on every request (and the navigation's cached
    answer is emptied by the write), so it ends with the person's next request."""
    commissioner_account_unlink_check(actor=actor, programme=programme)
    scope = selectors.commissioner_account_unlink_scope(user=user, programme=programme)
    if not scope.organisations:
        return []
    ids = [organisation.pk for organisation in scope.organisations]
    contacts = list(Contact.objects.select_for_update().filter(user=user, commissioner_id__in=ids))
    for contact in contacts:
        contact.user = None
        contact.save(update_fields=["user"])
    Commissioner.members.through.objects.filter(user=user, commissioner_id__in=ids).delete()
    # A permission answer kept on this user object must not outlive the links.
    access_forget(user)
    event_record(
        actor=actor,
        kind="commissioning.account_unlinked",
        subject=user,
        programme=programme,
        data={
            "name": user.display_name,
            "programme": programme.name,
            "organisations": [organisation.name for organisation in scope.organisations],
            "contacts": len(contacts),
            "everywhere": scope.everywhere,
        },
        visibility="staff",
    )
    return scope.organisations


@transaction.atomic
def priority_create(
    *,
    actor: User,
    commissioner: Commissioner,
    title: str,
    domain: OutcomeDomain,
    period_start: datetime.date,
    period_end: datetime.date,
    description: str = "",
    service_area: ServiceArea | None = None,
    budget: Decimal | None = None,
) -> Priority:
    require(permissions.can_manage_commissioners(actor), _DIRECTORY_REFUSAL)
    priority = Priority(
        commissioner=commissioner,
        title=title.strip(),
        description=description,
        domain=domain,
        service_area=service_area,
        budget=budget,
        period_start=period_start,
        period_end=period_end,
    )
    priority.full_clean()
    priority.save()
    event_record(
        actor=actor,
        kind="commissioning.priority_added",
        subject=priority,
        data={"title": priority.title, "commissioner": commissioner.name},
    )
    return priority


@transaction.atomic
def window_add(
    *,
    actor: User,
    priority: Priority,
    opens: datetime.date,
    closes: datetime.date,
    route: str,
    notes: str = "",
) -> ProcurementWindow:
    require(permissions.can_manage_commissioners(actor), _DIRECTORY_REFUSAL)
    window = ProcurementWindow(
        priority=priority, opens=opens, closes=closes, route=route, notes=notes.strip()
    )
    window.full_clean()
    window.save()
    event_record(
        actor=actor,
        kind="commissioning.window_added",
        subject=window,
        data={
            "priority": priority.title,
            "route": window.get_route_display(),
            "opens": opens.isoformat(),
            "closes": closes.isoformat(),
        },
    )
    return window


@transaction.atomic
def venture_focus_set(*, actor: User, venture: Venture, domains, service_areas) -> VentureFocus:
    """Set what the venture works on; records an event only when something changed."""
    require(
        permissions.can_edit_focus(actor, venture),
        "Only the venture's SEiR or team can change what it is matched on.",
    )
    focus, _ = VentureFocus.objects.get_or_create(venture=venture)
    old_domains = set(focus.domains.values_list("pk", flat=True))
    old_areas = set(focus.service_areas.values_list("pk", flat=True))
    new_domains = {d.pk for d in domains}
    new_areas = {a.pk for a in service_areas}
    if (old_domains, old_areas) == (new_domains, new_areas):
        return focus
    # The event names only the list that changed (what it is now), not the one left alone.
    data = {}
    if old_domains != new_domains:
        focus.domains.set(domains)
        data["domains"] = [str(d) for d in sorted(domains, key=lambda d: d.number)]
    if old_areas != new_areas:
        focus.service_areas.set(service_areas)
        data["service_areas"] = sorted(a.name for a in service_areas)
    focus.save(update_fields=["updated_at"])
    event_record(
        actor=actor,
        kind="commissioning.focus_updated",
        subject=focus,
        venture=venture,
        data=data,
        visibility="staff",
    )
    return focus
