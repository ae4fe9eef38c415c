from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation

from accounts.models import PROGRAMME_SETTINGS, Programme, User
from commissioning.models import Commissioner
from seir.forms import BaseModelForm, CrispyMixin, SubmissionTokenMixin
from ventures.models import Stage, TeamRole, Venture, VentureStatus

from .models import InvitedRole

# A lead entrepreneur is chosen on the venture's profile (it is the venture's lead field).
INVITED_TEAM_ROLES = [(code, label) for code, label in TeamRole.choices if code != TeamRole.LEAD]


class InvitationForm(SubmissionTokenMixin, CrispyMixin, forms.Form):
    name = forms.CharField(label="Full name", max_length=150)
    email = forms.EmailField(label="Email address", max_length=254)
    role = forms.ChoiceField(
        label="Invite them as", choices=InvitedRole.choices, widget=forms.RadioSelect
    )
    venture = forms.ModelChoiceField(
        queryset=Venture.objects.none(),
        required=False,
        label="Venture",
        help_text="For an entrepreneur: the venture whose team they join.",
    )
    team_role = forms.ChoiceField(
        label="Role in the team", choices=INVITED_TEAM_ROLES, initial=TeamRole.MEMBER
    )
    commissioner = forms.ModelChoiceField(
        queryset=Commissioner.objects.none(),
        required=False,
        label="Organisation",
        help_text="For a commissioner contact: the organisation they act for.",
    )

    def __init__(self, *args, programme: Programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venture"].queryset = (
            Venture.objects.filter(programme=programme)
            .exclude(status=VentureStatus.CLOSED)
            .order_by("name")
        )
        self.fields["commissioner"].queryset = Commissioner.objects.filter(is_active=True)
        self._crispy()

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == InvitedRole.ENTREPRENEUR and not data.get("venture"):
            self.add_error("venture", "Choose the venture they will join.")
        if role == InvitedRole.COMMISSIONER and not data.get("commissioner"):
            self.add_error("commissioner", "Choose the organisation they act for.")
        return data


class AcceptForm(forms.Form):
    """A new account's name and password, checked by the project's password validators."""

    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Password again",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are not the same.")
        elif first:
            candidate = User(
                username=self.email,
                email=self.email,
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class ProgrammeSettingsForm(BaseModelForm):
    target_ventures = forms.IntegerField(
        label="Target number of social enterprises", min_value=1, max_value=1000
    )
    target_stage_code = forms.ChoiceField(label="Stage that counts towards the target")
    stuck_after_days = forms.IntegerField(
        label="A venture is stuck after this many days in one stage",
        min_value=1,
        max_value=3650,
    )
    quiet_after_days = forms.IntegerField(
        label="A venture is quiet after this many days without activity",
        min_value=1,
        max_value=3650,
    )

    class Meta:
        model = Programme
        fields = list(PROGRAMME_SETTINGS)
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
        labels = {"start_date": "Start", "end_date": "End"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stages = Stage.objects.filter(programme=self.instance).order_by("order")
        choices = [(s.code, s.name) for s in stages]
        current = self.instance.target_stage_code
        if current and current not in {code for code, _ in choices}:
            choices.append((current, f"{current} (no longer a stage)"))
        self.fields["target_stage_code"].choices = choices
        self.fields["end_date"].required = True
