from django import forms
from django.utils.functional import cached_property

from accounts.permissions import programmes_run_by
from accounts.roles import Role
from accounts.selectors import users_with_role
from seir import refcache
from seir.forms import BaseModelForm, CrispyMixin, SubmissionTokenMixin

from .models import (
    STATUS_TRANSITIONS,
    LegalForm,
    NoteVisibility,
    Stage,
    TeamRole,
    Venture,
    VentureNote,
    VentureStatus,
)
from .services import STAFF_EDITABLE_FIELDS, TEAM_EDITABLE_FIELDS, EditConflict, raw_value


def _friendly_empty_labels(form) -> None:
    labels = {"legal_form": "Not chosen yet", "lead": "None named yet", "seir": "No SEiR yet"}
    for name, label in labels.items():
        if name in form.fields:
            form.fields[name].empty_label = label


class VentureCreateForm(SubmissionTokenMixin, BaseModelForm):
    class Meta:
        model = Venture
        fields = [
            "programme",
            "name",
            "summary",
            "need",
            "beneficiaries",
            "area",
            "legal_form",
            "origin",
            "is_spinout",
            "lead",
            "seir",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "need": forms.Textarea(attrs={"rows": 3}),
            "beneficiaries": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        programmes = programmes_run_by(user)
        self.fields["programme"].queryset = programmes
        if programmes.count() == 1:
            self.fields["programme"].initial = programmes.first()
        self.fields["legal_form"].queryset = LegalForm.objects.filter(is_active=True)
        self.fields["lead"].queryset = users_with_role(
            programmes=programmes, role=Role.ENTREPRENEUR
        )
        self.fields["seir"].queryset = users_with_role(programmes=programmes, role=Role.SEIR)
        self.fields["seir"].initial = user.pk
        _friendly_empty_labels(self)

    def venture_data(self) -> dict:
        """The cleaned values ``services.venture_create`` takes."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class VentureProfileForm(BaseModelForm):
    """Profile edit. Team members get the team fields; staff get the rest too.

    ``version`` is the optimistic lock: the version the editor started from.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Venture
        fields = list(STAFF_EDITABLE_FIELDS)
        widgets = VentureCreateForm.Meta.widgets

    def __init__(self, *args, manage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = STAFF_EDITABLE_FIELDS if manage else TEAM_EDITABLE_FIELDS
        for name in list(self.fields):
            if name not in allowed and name != "version":
                del self.fields[name]
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version
        self.fields["legal_form"].queryset = LegalForm.objects.filter(is_active=True)
        if manage:
            programme = [self.instance.programme_id]
            self.fields["lead"].queryset = users_with_role(
                programmes=programme, role=Role.ENTREPRENEUR
            )
            self.fields["seir"].queryset = users_with_role(programmes=programme, role=Role.SEIR)
        # A current value no longer offered (a retired legal form, an inactive lead, an
        # administrator as SEiR) stays selected: BaseModelForm keeps it in the choices.
        _friendly_empty_labels(self)

    def rebase_on(self, conflict: EditConflict) -> list[str]:
        """Re-base the bound form on the newly saved venture after an edit conflict.

        Fields the person left as they found them take the value someone else saved
        (so saving again cannot quietly undo it); fields both people changed keep the
        person's input. Returns the names of those clashing fields.
        """
        data = self.data.copy()
        data[self.add_prefix("version")] = conflict.current.version
        clashes = []
        for name in conflict.changed_fields:
            if name not in self.fields:
                continue
            if raw_value(self.cleaned_data.get(name)) != conflict.start_values.get(name):
                clashes.append(name)
                continue
            key = self.add_prefix(name)
            saved = raw_value(getattr(conflict.current, name))
            if isinstance(self.fields[name], forms.BooleanField):
                if saved:
                    data[key] = "on"
                else:
                    data.pop(key, None)
            else:
                data[key] = "" if saved is None else str(saved)
        self.data = data
        return clashes

    def _post_clean(self):
        # The service validates and saves; don't let ModelForm touch the instance.
        pass


class MoveForm(CrispyMixin, forms.Form):
    to_stage = forms.ModelChoiceField(queryset=Stage.objects.none(), label="Move to")
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Override reason",
        help_text="Only needed when the gate is not met. Say why the venture should move anyway.",
    )
    expected_stage = forms.ModelChoiceField(
        queryset=Stage.objects.none(), widget=forms.HiddenInput, required=False
    )

    def __init__(self, *args, venture: Venture, transitions, **kwargs):
        super().__init__(*args, **kwargs)
        # Any stage of the programme validates (the service explains a move it refuses,
        # e.g. from a stale board); only the allowed ones are offered.
        stages = Stage.objects.filter(programme_id=venture.programme_id).order_by("order")
        self.fields["to_stage"].queryset = stages
        self.fields["to_stage"].choices = [("", "Choose a stage")] + [
            (t.to_stage.pk, t.to_stage.name) for t in transitions
        ]
        self.fields["expected_stage"].queryset = stages
        self.fields["expected_stage"].initial = venture.stage_id
        self._crispy()


class StatusForm(CrispyMixin, forms.Form):
    to_status = forms.ChoiceField(
        label="New status", error_messages={"required": "Choose the new status."}
    )
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, venture: Venture, **kwargs):
        super().__init__(*args, **kwargs)
        # Starts empty: a click on "Change status" with no choice made changes nothing.
        self.fields["to_status"].choices = [("", "Choose a status")] + [
            (s, VentureStatus(s).label) for s in STATUS_TRANSITIONS.targets(venture.status)
        ]
        self._crispy()


class NoteForm(SubmissionTokenMixin, BaseModelForm):
    class Meta:
        model = VentureNote
        fields = ["body", "visibility"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        labels = {"body": "Note"}

    def __init__(self, *args, manage: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not manage:
            self.fields["visibility"].choices = [(NoteVisibility.TEAM, NoteVisibility.TEAM.label)]
            self.fields["visibility"].widget = forms.HiddenInput()
            self.fields["visibility"].initial = NoteVisibility.TEAM

    def _post_clean(self):
        pass


class GateConfirmForm(SubmissionTokenMixin, forms.Form):
    evidence = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Evidence",
        help_text="What shows this holds: a short note or a link.",
    )
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Override reason",
        help_text="Only when items this confirmation vouches for are outstanding: say why it "
        "holds all the same.",
    )


class TeamMemberForm(SubmissionTokenMixin, CrispyMixin, forms.Form):
    user = forms.ModelChoiceField(queryset=None, label="Person")
    role = forms.ChoiceField(choices=TeamRole.choices, initial=TeamRole.MEMBER, label="Team role")

    def __init__(self, *args, venture: Venture, team=None, **kwargs):
        """``team``: the venture's memberships when the caller has read them (the venture
        page has), so the choices need not read them again."""
        super().__init__(*args, **kwargs)
        self._venture = venture
        if self.is_bound:
            # What is sent is checked against the database: anyone among the programme's
            # entrepreneurs; someone already on the team is refused by team_member_add
            # ("... is already on the team."). A form to fill in draws its choices from
            # the cached reference data (``offered_choices``), so it builds no query.
            self.fields["user"].queryset = self._entrepreneurs()
        self._team = team
        self._crispy()

    @cached_property
    def _people(self) -> list[tuple[int, str]]:
        if self._team is not None:
            on_team = {membership.user_id for membership in self._team}
        else:
            on_team = set(self._venture.team.values_list("user_id", flat=True))
        return [(pk, name) for pk, name in self._offered() if pk not in on_team]

    def _offered(self) -> list[tuple[int, str]]:
        """The programme's entrepreneurs as the select offers them: reference data,
        cached until a person, membership or programme next changes (seir.refcache); a
        submitted person is still checked against the database by the field."""

        def build() -> list[tuple[int, str]]:
            people = sorted(
                self._entrepreneurs().only("first_name", "last_name", "username").order_by(),
                # User's ordering, sorted here, which costs less than the ORDER BY
                key=lambda user: (user.first_name, user.last_name, user.username),
            )
            return [(user.pk, str(user)) for user in people]  # str: the name, else username

        return refcache.cached(f"ventures:team-choices:{self._venture.programme_id}", build)

    def _entrepreneurs(self):
        # Excluding those already on the team in the query cost more to build than the
        # read: they are left out of the choices here, and refused by the service.
        return users_with_role(programmes=[self._venture.programme_id], role=Role.ENTREPRENEUR)

    def offered_choices(self) -> dict[str, list[tuple[int, str]]]:
        """What the person select offers, read once (plain_form draws it from here)."""
        return {"user": self._people}

    @property
    def has_people(self) -> bool:
        return bool(self._people)
