from django import forms

from accounts.models import User
from events.registry import get_kind, notify_rules

from .models import Delivery
from .notifications import delivery_for


class PreferencesForm(forms.Form):
    """One choice per kind of notification, showing what applies now (their choice or
    their role's default)."""

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        for rule in notify_rules():
            kind = get_kind(rule.code)
            self.fields[rule.code] = forms.ChoiceField(
                label=kind.label if kind else rule.code,
                choices=Delivery.choices,
                initial=delivery_for(user, rule.code),
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            )

    def changed(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.changed_data}
