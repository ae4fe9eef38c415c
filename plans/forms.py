from django import forms

from seir.forms import SubmissionTokenMixin

from .models import COMMENT_MAX_CHARS, SECTION_MAX_CHARS, PlanAction
from .services import SectionConflict

_MAX_INT = 2_147_483_647


class SectionForm(forms.Form):
    """One draft section. ``version`` is the optimistic lock: the section's version when
    the person started editing."""

    body = forms.CharField(
        required=False,
        strip=False,
        max_length=SECTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 12, "class": "form-control font-monospace"}),
        help_text="Markdown: **bold**, *italic*, lists starting with - or 1., tables, links.",
    )
    version = forms.IntegerField(min_value=0, max_value=_MAX_INT, widget=forms.HiddenInput)

    def __init__(self, *args, label: str = "Text", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].label = label

    def seen_revision(self) -> int | None:
        """The draft revision the page's submit form expects, sent along with an inline
        save (htmx ``hx-include``); None when absent or damaged."""
        try:
            value = int(self.data.get("revision", ""))
        except (TypeError, ValueError):
            return None
        return value if 0 <= value <= _MAX_INT else None

    def rebase_on(self, conflict: SectionConflict) -> None:
        """After an edit conflict, keep the person's text but take the newly saved version,
        so saving again is a deliberate choice made having seen the other text."""
        data = self.data.copy()
        data[self.add_prefix("version")] = conflict.current.version
        self.data = data


class SubmitForm(forms.Form):
    # A stable id: an inline section save updates this field in place (htmx out-of-band).
    revision = forms.IntegerField(
        min_value=0, max_value=_MAX_INT, widget=forms.HiddenInput(attrs={"id": "plan-revision"})
    )
    number = forms.IntegerField(min_value=0, max_value=_MAX_INT, widget=forms.HiddenInput)
    note = forms.CharField(
        required=False,
        max_length=COMMENT_MAX_CHARS,
        label="Note for the SEiR (optional)",
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def rebase_on(self, plan) -> None:
        """After a refusal because the plan changed meanwhile, keep the note but expect
        the draft and versions now shown, so submitting again is a deliberate choice made
        having seen them (a damaged form is mended the same way)."""
        data = self.data.copy()
        data[self.add_prefix("revision")] = plan.draft_revision if plan else 0
        data[self.add_prefix("number")] = plan.latest_number if plan else 0
        self.data = data


class CommentForm(SubmissionTokenMixin, forms.Form):
    """Feedback on one section (or the whole plan); written by hand in the template,
    which carries the one-time token with ``{% submission_token_input %}``."""

    section = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    body = forms.CharField(
        max_length=COMMENT_MAX_CHARS,
        label="Feedback",
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )


class ReplyForm(SubmissionTokenMixin, forms.Form):
    """A reply to one feedback comment; written by hand in the template (one per comment,
    each with its own one-time token). ``back``: the page it was sent from."""

    body = forms.CharField(
        max_length=COMMENT_MAX_CHARS,
        label="Your reply",
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    back = forms.ChoiceField(
        choices=[("plan", "plan"), ("version", "version")], required=False, initial="plan"
    )


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[(PlanAction.GIVE_FEEDBACK.value, ""), (PlanAction.APPROVE.value, "")]
    )


class CompareForm(forms.Form):
    """Two versions to compare: version numbers, or "draft" (writers only)."""

    a = forms.ChoiceField(label="Older")
    b = forms.ChoiceField(label="Newer")

    def __init__(self, *args, numbers: list[int], with_draft: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(n), f"Version {n}") for n in sorted(numbers, reverse=True)]
        self.fields["a"].choices = choices
        self.fields["b"].choices = ([("draft", "Current draft")] if with_draft else []) + choices

    def clean(self):
        data = super().clean()
        if data.get("a") and data.get("a") == data.get("b"):
            raise forms.ValidationError("Choose two different versions to compare.")
        return data
