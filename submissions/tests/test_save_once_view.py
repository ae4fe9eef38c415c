"""save_once, the one save-once POST every create view answers through: a success
redirects with its message, a refusal shows the bound form again and writes nothing, and
a form sent again writes nothing and answers as ``already_saved`` does."""

import uuid

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from accounts.factories import UserFactory
from seir.forms import SubmissionTokenMixin
from seir.refusals import Refused
from submissions import views
from submissions.models import SubmissionToken
from submissions.services import ALREADY_SAVED
from submissions.views import save_once

pytestmark = pytest.mark.django_db


class GroupForm(SubmissionTokenMixin, forms.Form):
    name = forms.CharField(max_length=20)


class GroupsClosed(Refused):
    """An app's own refusal (a thin subclass of the one refusal), carrying its message."""


def post(user, data):
    request = RequestFactory().post("/groups/new/", data)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def said(request) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


def group_url(group) -> str:
    return f"/groups/{group.pk}/" if group is not None else "/groups/"


class Page:
    """``refused``: the page drawn again, remembering the form it was given."""

    def __init__(self, form, status=400):
        self.form, self.status, self.calls = form, status, 0

    def __call__(self):
        self.calls += 1
        return HttpResponse("the page again", status=self.status)


def answer(request, form, save, **kwargs):
    page = Page(form)
    kwargs.setdefault("saved", lambda g: f"“{g.name}” added.")
    response = save_once(request, form, save=save, shown_at=group_url, refused=page, **kwargs)
    return response, page


def test_a_valid_form_is_saved_once_and_redirects_with_the_message():
    user, token = UserFactory(), uuid.uuid4()
    request = post(user, {"name": "Walkers", "submission_token": str(token)})
    form = GroupForm(request.POST)

    response, page = answer(request, form, lambda: Group.objects.create(name="Walkers"))

    group = Group.objects.get(name="Walkers")
    assert (response.status_code, response["Location"]) == (302, f"/groups/{group.pk}/")
    assert said(request) == [("success", "“Walkers” added.")]
    assert page.calls == 0
    assert list(SubmissionToken.objects.values_list("user", "token", "object_id")) == [
        (user.pk, token, group.pk)
    ]


def test_a_fixed_success_message():
    request = post(UserFactory(), {"name": "Walkers", "submission_token": str(uuid.uuid4())})

    answer(request, GroupForm(request.POST), lambda: Group.objects.create(name="W"), saved="Ok.")

    assert said(request) == [("success", "Ok.")]


def test_a_service_refusal_shows_the_bound_form_again_and_writes_nothing():
    user, token = UserFactory(), uuid.uuid4()
    request = post(user, {"name": "Walkers", "submission_token": str(token)})
    form = GroupForm(request.POST)

    def refuse():
        Group.objects.create(name="half-written")
        raise ValidationError({"name": "That name is taken."})

    response, page = answer(request, form, refuse, not_saved="Not added: see below.")

    assert (response.status_code, response.content) == (400, b"the page again")
    assert page.calls == 1 and page.form is form
    assert form.errors == {"name": ["That name is taken."]}
    assert form["name"].value() == "Walkers"
    assert form["submission_token"].value() == str(token)  # kept: the retry may save
    assert said(request) == [("danger", "Not added: see below.")]
    assert not Group.objects.exists()
    assert SubmissionToken.objects.count() == 0


def test_an_invalid_form_is_shown_again_without_calling_the_service():
    request = post(UserFactory(), {"name": "x" * 21, "submission_token": str(uuid.uuid4())})
    form = GroupForm(request.POST)
    called = []

    response, page = answer(request, form, lambda: called.append(1))

    assert response.status_code == 400 and page.calls == 1
    assert form.errors == {"name": ["Ensure this value has at most 20 characters (it has 21)."]}
    assert called == [] and said(request) == []
    assert SubmissionToken.objects.count() == 0


def test_any_apps_refusal_goes_at_the_field_it_is_given_or_above_the_form():
    for field, where in (("name", "name"), (None, "__all__")):
        request = post(UserFactory(), {"name": "Walkers", "submission_token": str(uuid.uuid4())})
        form = GroupForm(request.POST)

        def refuse():
            raise GroupsClosed("Groups are closed today.")

        # given no ``refusals``: every app's refusal is a seir.refusals.Refused
        answer(request, form, refuse, refusal_field=field)

        assert form.errors == {where: ["Groups are closed today."]}
    assert SubmissionToken.objects.count() == 0


def test_a_bare_permission_denied_reads_as_no_permission():
    request = post(UserFactory(), {"name": "Walkers", "submission_token": str(uuid.uuid4())})
    form = GroupForm(request.POST)

    def refuse():
        raise PermissionDenied

    answer(request, form, refuse, refusals=(PermissionDenied,))

    assert form.errors == {"__all__": ["You do not have permission to do that."]}


def test_a_refusal_not_named_is_not_caught():
    request = post(UserFactory(), {"name": "Walkers", "submission_token": str(uuid.uuid4())})

    def refuse():
        raise PermissionDenied("Not yours.")

    with pytest.raises(PermissionDenied):
        answer(request, GroupForm(request.POST), refuse)
    assert SubmissionToken.objects.count() == 0


def test_a_form_sent_again_writes_nothing_and_answers_as_already_saved():
    user, token = UserFactory(), uuid.uuid4()
    data = {"name": "Walkers", "submission_token": str(token)}
    answer(post(user, data), GroupForm(data), lambda: Group.objects.create(name="Walkers"))
    first = Group.objects.get()
    # Sent again, now invalid (as a person added by the first POST no longer is a choice):
    # it is not validated again, and nothing is saved.
    again = post(user, {**data, "name": "x" * 21})
    called = []

    response, page = answer(again, GroupForm(again.POST), lambda: called.append(1))

    assert (response.status_code, response["Location"]) == (302, f"/groups/{first.pk}/")
    assert said(again) == [("info", ALREADY_SAVED)]
    assert called == [] and page.calls == 0
    assert list(Group.objects.all()) == [first]
    assert SubmissionToken.objects.count() == 1


def test_a_post_that_loses_the_race_answers_as_already_saved(monkeypatch):
    """Both POSTs were looked up before either saved: the second meets the
    first's token in ``submission_save_once`` and gets the same answer."""
    user, token = UserFactory(), uuid.uuid4()
    data = {"name": "Walkers", "submission_token": str(token)}
    answer(post(user, data), GroupForm(data), lambda: Group.objects.create(name="Walkers"))
    first = Group.objects.get()
    monkeypatch.setattr(views, "submission_find", lambda **kwargs: None)
    again = post(user, data)

    response, page = answer(again, GroupForm(data), lambda: Group.objects.create(name="Twice"))

    assert (response.status_code, response["Location"]) == (302, f"/groups/{first.pk}/")
    assert said(again) == [("info", ALREADY_SAVED)]
    assert list(Group.objects.all()) == [first] and page.calls == 0


def test_what_the_first_post_saved_has_gone_since():
    user, token = UserFactory(), uuid.uuid4()
    data = {"name": "Walkers", "submission_token": str(token)}
    answer(post(user, data), GroupForm(data), lambda: Group.objects.create(name="Walkers"))
    Group.objects.all().delete()
    again = post(user, data)

    response, _ = answer(again, GroupForm(data), lambda: Group.objects.create(name="Walkers"))

    assert response["Location"] == "/groups/"
    assert said(again) == [("info", ALREADY_SAVED)] and not Group.objects.exists()


def test_a_prefixed_form_is_recognised_under_its_prefix():
    user, token = UserFactory(), uuid.uuid4()
    data = {"g1-name": "Walkers", "g1-submission_token": str(token)}
    answer(post(user, data), GroupForm(data, prefix="g1"), lambda: Group.objects.create(name="W"))
    again = post(user, data)

    response, _ = answer(
        again, GroupForm(data, prefix="g1"), lambda: Group.objects.create(name="Twice")
    )

    assert said(again) == [("info", ALREADY_SAVED)]
    assert list(Group.objects.values_list("name", flat=True)) == ["W"]


def test_without_a_token_each_post_saves():
    user = UserFactory()
    for name in ("a", "b"):
        request = post(user, {"name": name})
        answer(request, GroupForm(request.POST), lambda n=name: Group.objects.create(name=n))

    assert sorted(Group.objects.values_list("name", flat=True)) == ["a", "b"]
    assert SubmissionToken.objects.count() == 0


def test_keep_keeps_the_token():
    request = post(UserFactory(), {"name": "Walkers", "submission_token": str(uuid.uuid4())})

    answer(request, GroupForm(request.POST), lambda: Group.objects.create(name="W"), keep=True)

    assert list(SubmissionToken.objects.values_list("kept", flat=True)) == [True]
