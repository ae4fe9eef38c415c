"""The meeting form's repeated rows: ideas, talent spotted and follow-ups, one formset
each (``MeetingRows`` binds the three). Each row form checks its own row and turns it
into the row ``services.meeting_log`` takes; the service still decides and writes.

A row with nothing typed in it is ignored (``has_changed`` means "has content": a
follow-up's "who" is pre-set, so it alone does not make a row). Each row shows at most
one message, numbered as the person counts rows ("Idea 2: give it a title."), beside the
field it is about; the view lists the same messages above the form.

A page rendered, or a draft kept, before the rows were formsets sends them as parallel
lists (``idea_title``, ``followup_early`` holding row numbers, ...): ``rows_data`` reads
those into the formsets' names, as ``MeetingForm`` reads the old ``submission_key``.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils.datastructures import MultiValueDict

from accounts.models import User
from seir.params import bounded_pk

from .models import Person
from .services import FollowUpRow, IdeaRow, TalentRow

# Rows of each kind one meeting takes; the page's script adds no more than this.
MAX_ROWS = 30
LONG_TEXT = 20_000


class RowForm(forms.Form):
    """One row: ``label`` and ``number`` name it in its message; ``row`` is what it
    asks the service to write (None for an empty or refused row), made by each kind's
    ``make_row(cleaned_data)``, which refuses (``refuse``) at the first thing wrong."""

    label = ""
    content_fields: tuple[str, ...] = ()

    def __init__(
        self, *args, number=None, people=None, staff=None, user=None, meeting_day=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.number = number
        self.people: dict[int, Person] = people or {}
        self.staff: dict[int, User] = staff or {}
        self.user = user
        self.meeting_day: datetime.date | None = meeting_day
        self.row = None
        self.ask_early = False

    def has_changed(self) -> bool:
        """Something typed in the row (its pre-set choices alone are not a row)."""
        if not self.is_bound:
            return False
        return any(
            str(self.data.get(self.add_prefix(name), "")).strip() for name in self.content_fields
        )

    def refuse(self, field: str, message: str) -> None:
        self.add_error(field, f"{self.label} {self.number}: {message}")

    def clean(self):
        data = super().clean()
        if not self.has_changed():
            return data
        # A field's own refusal (a NUL) is the row's one message, numbered like the rest.
        for name, errors in list(self._errors.items()):
            self._errors[name] = self.error_class(
                [f"{self.label} {self.number}: {e}" for e in errors], renderer=self.renderer
            )
        if not self._errors:
            self.row = self.make_row(data)
        return data


def _text(**kwargs) -> forms.CharField:
    return forms.CharField(required=False, **kwargs)


class IdeaRowForm(RowForm):
    label = "Idea"
    content_fields = ("title", "description", "need", "proposer")

    title = _text()
    description = _text()
    need = _text()
    proposer = _text()

    def make_row(self, data):
        proposer = None
        if data["proposer"]:
            proposer = self.people.get(bounded_pk(data["proposer"]))
        if not data["title"]:
            return self.refuse("title", "give it a title.")
        if len(data["title"]) > 200:
            return self.refuse("title", "keep the title under 200 characters.")
        if data["proposer"] and proposer is None:
            return self.refuse("proposer", "choose who proposed it from the attendees.")
        return IdeaRow(
            title=data["title"],
            description=data["description"][:LONG_TEXT],
            health_need=data["need"][:LONG_TEXT],
            proposers=[proposer] if proposer else [],
        )


class TalentRowForm(RowForm):
    label = "Talent"
    content_fields = ("person", "note")

    person = _text()
    note = _text()

    def make_row(self, data):
        person = self.people.get(bounded_pk(data["person"]))
        if person is None:
            return self.refuse("person", "choose one of the attendees.")
        return TalentRow(person=person, note=data["note"][:LONG_TEXT])


class FollowUpRowForm(RowForm):
    label = "Follow-up"
    content_fields = ("what", "due")

    what = _text()
    who = _text()
    due = _text()
    early = forms.BooleanField(required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Blank means "me": the page offers the signed-in person first.
        if self.user is not None:
            self.fields["who"].initial = str(self.user.pk)

    def make_row(self, data):
        due = None
        if data["due"]:
            try:
                due = datetime.date.fromisoformat(data["due"])
            except ValueError:
                return self.refuse("due", "the due date must be a date.")
            if not 2000 <= due.year <= 2100:
                return self.refuse("due", "the due date must be between 2000 and 2100.")
        if not data["what"]:
            return self.refuse("what", "say what needs doing.")
        if len(data["what"]) > 300:
            return self.refuse("what", "keep it under 300 characters.")
        day = self.meeting_day
        if due and day and due < day and not data["early"]:
            self.ask_early = True
            return self.refuse(
                "due",
                f"it is due on {due.day} {due:%b %Y}, before the meeting "
                f"({day.day} {day:%b %Y}). Correct the date, or tick “Yes, before the "
                "meeting” under it to keep it.",
            )
        # Blank means "me"; anything else must be one of the programme's staff.
        assignee = self.staff.get(bounded_pk(data["who"])) if data["who"] else self.user
        if assignee is None:
            return self.refuse("who", "choose who will do it.")
        return FollowUpRow(
            what=data["what"], assignee=assignee, due=due, before_meeting_confirmed=data["early"]
        )


class RowFormSet(forms.BaseFormSet):
    """Rows of one kind. ``rows()`` is what the valid ones ask the service to write."""

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        return {**kwargs, "number": None if index is None else index + 1}

    @property
    def full_message(self) -> str:
        """What the page says when a kind has as many rows as one meeting takes."""
        return self.error_messages["too_many_forms"] % {"num": self.max_num}

    def clean(self):
        counts = self.management_form.cleaned_data
        if counts.get("TOTAL_FORMS", 0) < 0 or counts.get("INITIAL_FORMS", 0) < 0:
            raise forms.ValidationError(
                self.error_messages["missing_management_form"], code="missing_management_form"
            )

    def rows(self) -> list:
        return [form.row for form in self.forms if form.is_valid() and form.row is not None]

    def messages(self) -> list[str]:
        """What is wrong, in order: the formset's own (too many rows), then each row's."""
        found = list(self.non_form_errors())
        for form in self.forms:
            for errors in form.errors.values():
                found.extend(errors)
        return found


def _formset(form, noun: str):
    """The formset of one kind of row, its own messages naming the rows."""
    messages = {
        "too_many_forms": f"Up to %(num)d {noun} in one meeting: log the rest in another.",
        "missing_management_form": f"The {noun} could not be read: reload the page and "
        "restore your draft.",
    }
    base = type(f"{form.__name__}Set", (RowFormSet,), {"default_error_messages": messages})
    return forms.formset_factory(
        form, formset=base, extra=1, max_num=MAX_ROWS, validate_max=True, absolute_max=MAX_ROWS
    )


# Each kind of row by its formset's prefix (its fields are named "ideas-0-title", ...).
KINDS = {
    "ideas": _formset(IdeaRowForm, "ideas"),
    "talent": _formset(TalentRowForm, "people spotted"),
    "followups": _formset(FollowUpRowForm, "follow-ups"),
}
# The parallel lists the form posted before (and a draft kept then holds), by formset
# and row field; a kind's rows are as many as the values of its first name.
LEGACY_NAMES = {
    "ideas": {
        "title": "idea_title",
        "description": "idea_description",
        "need": "idea_need",
        "proposer": "idea_proposer",
    },
    "talent": {"person": "talent_person", "note": "talent_note"},
    "followups": {"what": "followup_what", "who": "followup_who", "due": "followup_due"},
}
LEGACY_EARLY = "followup_early"  # row numbers from 1 of the confirmed early follow-ups


def rows_data(data) -> MultiValueDict:
    """``data`` with the rows of any kind sent as parallel lists in the formsets' names
    (a kind not sent at all: one empty row); rows sent as formsets are left as they are."""
    data = data.copy() if isinstance(data, MultiValueDict) else _multi(data)
    for prefix, names in LEGACY_NAMES.items():
        if f"{prefix}-TOTAL_FORMS" in data:
            continue
        columns = {field: data.getlist(old) for field, old in names.items()}
        count = len(next(iter(columns.values())))
        for field, values in columns.items():
            for i, value in enumerate(values[:count]):
                data[f"{prefix}-{i}-{field}"] = value
        if prefix == "followups":
            for number in data.getlist(LEGACY_EARLY):
                row = bounded_pk(number)
                if row is not None and row <= count:
                    data[f"followups-{row - 1}-early"] = "on"
        # One row to type in, as the page shows when nothing was sent.
        data[f"{prefix}-TOTAL_FORMS"] = str(max(count, 1))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


def _multi(data) -> MultiValueDict:
    return MultiValueDict(
        {k: list(v) if isinstance(v, list | tuple) else [v] for k, v in data.items()}
    )


class MeetingRows:
    """The three formsets of the meeting form, bound together.

    ``people``: the meeting's attendees (a proposer or a person spotted is one of them);
    ``staff``: the programme's staff (who may be given a follow-up); ``meeting_day``: the
    meeting's date when the form's own fields are valid (a follow-up due before it needs
    its row's box ticked).
    """

    def __init__(self, data=None, *, people, staff, user, meeting_day=None):
        context = {
            "people": {p.pk: p for p in people},
            "staff": {u.pk: u for u in staff},
            "user": user,
            "meeting_day": meeting_day,
        }
        bound = rows_data(data) if data is not None else None
        self.formsets = {}
        for prefix, factory in KINDS.items():
            formset = factory(bound, prefix=prefix, form_kwargs=context)
            self.formsets[prefix] = formset
            setattr(self, prefix, formset)

    def is_valid(self) -> bool:
        return all(formset.is_valid() for formset in self.formsets.values())

    def messages(self) -> list[str]:
        return [m for formset in self.formsets.values() for m in formset.messages()]

    def rows(self) -> dict[str, list]:
        """The rows to write, as ``services.MeetingInput`` takes them (when valid)."""
        return {prefix: formset.rows() for prefix, formset in self.formsets.items()}
