"""Inviting people, accepting an invitation, removing a role and editing a programme's
target and period. Thin: load (404 when invisible), check a permission (403 when the
programme is visible but the action is not theirs), validate, call one service."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import ProgrammeMembership
from accounts.selectors import programmes_visible_to
from commissioning.selectors import commissioner_account_unlink_scope
from scouting.models import Person
from submissions.views import save_once
from ventures.views.common import show_refusal

from . import permissions, services
from .forms import AcceptForm, InvitationForm, ProgrammeSettingsForm
from .models import Invitation, InvitedRole

REFUSALS = (ValidationError, PermissionDenied)


def _programme(request, pk: int, allowed, refusal: str):
    programme = get_object_or_404(programmes_visible_to(user=request.user), pk=pk)
    if not allowed(request.user, programme):
        raise PermissionDenied(refusal)
    return programme


def _people_url(programme) -> str:
    return reverse("programmes:detail", args=[programme.pk]) + "#people"


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def _initial(request, programme) -> tuple[dict, Person | None]:
    initial: dict = {"role": InvitedRole.ENTREPRENEUR}
    person = None
    person_id = _int_param(request, "person")
    if person_id is not None:
        person = Person.objects.filter(programme=programme, pk=person_id, is_erased=False).first()
        if person is not None:
            initial.update(name=person.name, email=person.email)
    venture_id = _int_param(request, "venture")
    if venture_id is not None:
        initial["venture"] = venture_id
    return initial, person


@require_http_methods(["GET", "POST"])
def invitation_new(request, pk: int):
    programme = _programme(
        request,
        pk,
        permissions.can_invite,
        "Only the programme's SEiRs and administrators can invite people.",
    )
    if request.method != "POST":
        initial, person = _initial(request, programme)
        form = InvitationForm(initial=initial, programme=programme)
        return _invitation_page(request, programme, form, person)
    person = None
    person_id = request.POST.get("person", "")
    if person_id.isdigit() and len(person_id) < 12:
        person = Person.objects.filter(
            programme=programme, pk=int(person_id), is_erased=False
        ).first()
    form = InvitationForm(request.POST, programme=programme)

    def invite():
        data = form.cleaned_data
        return services.invitation_create(
            actor=request.user,
            programme=programme,
            email=data["email"],
            name=data["name"],
            role=data["role"],
            venture=data["venture"],
            team_role=data["team_role"],
            commissioner=data["commissioner"],
            person=person,
            link_for=lambda token: request.build_absolute_uri(
                reverse("invitations:accept", args=[token])
            ),
        )

    return save_once(
        request,
        form,
        save=invite,
        shown_at=lambda _invitation: _people_url(programme),
        saved=lambda invitation: (
            f"The invitation of {services.normalise_email(form.cleaned_data['email'])} is "
            "saved, but the email could not be sent. Revoke it below and invite them again "
            "once email works."
            if getattr(invitation, "email_failed", False)
            else f"Invitation sent to {services.normalise_email(form.cleaned_data['email'])}. "
            f"The link works once, for {services.INVITATION_VALID_FOR.days} days."
        ),
        refusals=REFUSALS,
        refused=lambda: _invitation_page(request, programme, form, person, status=400),
    )


def _invitation_page(request, programme, form, person, *, status: int = 200):
    return render(
        request,
        "invitations/invitation_form.html",
        {
            "programme": programme,
            "form": form,
            "person": person,
            "valid_days": services.INVITATION_VALID_FOR.days,
        },
        status=status,
    )


@require_POST
def invitation_withdraw(request, pk: int, invitation_id: int):
    programme = _programme(
        request,
        pk,
        permissions.can_invite,
        "Only the programme's SEiRs and administrators can revoke invitations.",
    )
    invitation = get_object_or_404(Invitation, pk=invitation_id, programme=programme)
    try:
        services.invitation_revoke(actor=request.user, invitation=invitation)
    except REFUSALS as error:
        show_refusal(request, error)
    else:
        messages.success(request, f"The invitation of {invitation.email} was revoked.")
    return redirect(_people_url(programme))


@require_http_methods(["GET", "POST"])
def member_remove_confirm(request, pk: int, membership_id: int):
    programme = _programme(
        request,
        pk,
        permissions.can_manage_members,
        "Only the programme's SEiRs and administrators can remove roles.",
    )
    membership = (
        ProgrammeMembership.objects.select_related("user")
        .filter(pk=membership_id, programme=programme)
        .first()
    )
    if membership is None:
        if request.method == "POST":
            # A second click on the same button: the role is already gone.
            messages.info(request, "That role was already removed.")
            return redirect(_people_url(programme))
        raise Http404("No such role in this programme.")
    membership.programme = programme
    if not permissions.can_remove_membership(request.user, membership):
        raise PermissionDenied("You cannot remove this role.")
    if request.method == "POST":
        try:
            services.member_remove(actor=request.user, membership=membership)
        except REFUSALS as error:
            show_refusal(request, error)
        else:
            messages.success(
                request,
                f"{membership.user.display_name} is no longer "
                f"{membership.get_role_display()} of {programme.name}.",
            )
        return redirect(_people_url(programme))
    teams = list(
        membership.user.venture_teams.filter(venture__programme=programme).select_related("venture")
        if membership.role == InvitedRole.ENTREPRENEUR
        else []
    )
    unlink = (
        commissioner_account_unlink_scope(user=membership.user, programme=programme)
        if membership.role == InvitedRole.COMMISSIONER
        else None
    )
    return render(
        request,
        "invitations/member_remove.html",
        {"programme": programme, "membership": membership, "teams": teams, "unlink": unlink},
    )


@require_http_methods(["GET", "POST"])
def programme_settings(request, pk: int):
    programme = _programme(
        request,
        pk,
        permissions.can_edit_programme,
        "Only the programme's administrators can change its target and period.",
    )
    if request.method == "POST":
        form = ProgrammeSettingsForm(request.POST, instance=programme)
        if form.is_valid():
            try:
                changed = services.programme_settings_update(
                    actor=request.user,
                    programme=programme,
                    changes=form.changed_data_dict(),
                )
            except REFUSALS as error:
                show_refusal(request, error, form=form)
            else:
                if changed:
                    messages.success(request, "The programme's target and period were saved.")
                else:
                    messages.info(request, "Nothing changed.")
                return redirect("programmes:detail", pk=programme.pk)
        status = 400
    else:
        form = ProgrammeSettingsForm(instance=programme)
        status = 200
    return render(
        request,
        "invitations/programme_settings.html",
        {
            "programme": get_object_or_404(programmes_visible_to(user=request.user), pk=pk),
            "form": form,
        },
        status=status,
    )


def _landing(invitation, user) -> str:
    if invitation.role == InvitedRole.ENTREPRENEUR:
        return reverse("ventures:detail", args=[invitation.venture_id])
    return reverse("home")


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def invitation_open(request, token: str):
    """The link in the email: set a password (new account) or join with the account
    that has the invited email; any link that cannot be used gets a page saying why."""
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationUnusable as refusal:
        return render(request, "invitations/invitation_unusable.html", {"reason": refusal.message})
    user = request.user if request.user.is_authenticated else None
    has_account = user is None and services.accounts_with_email(invitation.email).exists()
    closed_account = (
        has_account
        and not services.accounts_with_email(invitation.email).filter(is_active=True).exists()
    )
    wrong_account = user is not None and services.normalise_email(user.email) != invitation.email
    form = None
    status = 200
    if user is None and not has_account:
        form = AcceptForm(
            request.POST or None,
            email=invitation.email,
            initial=dict(
                zip(("first_name", "last_name"), invitation.name.split(" ", 1), strict=False)
            ),
        )
    if request.method == "POST" and not has_account and not wrong_account:
        if form is None or form.is_valid():
            fields = (
                {}
                if form is None
                else {
                    "first_name": form.cleaned_data["first_name"],
                    "last_name": form.cleaned_data["last_name"],
                    "password": form.cleaned_data["password1"],
                }
            )
            try:
                invitation, user = services.invitation_accept(token=token, user=user, **fields)
            except services.InvitationUnusable as refusal:
                return render(
                    request,
                    "invitations/invitation_unusable.html",
                    {"reason": refusal.message},
                )
            if not request.user.is_authenticated:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                f"Welcome, {user.display_name}: you are now {invitation.target_label} "
                f"in {invitation.programme.name}."
                + (
                    f" You sign in with the username {user.username}."
                    if form is not None and user.username != invitation.email
                    else ""
                ),
            )
            return redirect(_landing(invitation, user))
        status = 400
    return render(
        request,
        "invitations/invitation_accept.html",
        {
            "invitation": invitation,
            "form": form,
            "has_account": has_account,
            "closed_account": closed_account,
            "wrong_account": wrong_account,
            "username": (
                services.username_for_new_account(invitation.email) if form is not None else None
            ),
            "login_url": reverse("login") + "?" + urlencode({"next": request.path}),
        },
        status=status,
    )
