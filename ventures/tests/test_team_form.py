"""The venture page's "add a person" form: a form to fill in is drawn from the cached
reference data without building a query; what is sent is checked against the database."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from seir.templatetags.plain_forms import plain_form
from ventures import selectors
from ventures.forms import TeamMemberForm

pytestmark = pytest.mark.django_db


def test_a_form_to_fill_in_is_drawn_without_a_query(venture, entrepreneur):
    team = selectors.team_member_list(venture=venture)
    str(plain_form(TeamMemberForm(venture=venture, team=team)))  # the reference data, read once

    with CaptureQueriesContext(connection) as queries:
        form = TeamMemberForm(venture=venture, team=team)
        drawn = str(plain_form(form))

    assert len(queries) == 0
    assert form.fields["user"].queryset is None
    assert 'name="user"' in drawn


def test_what_is_sent_is_checked_against_the_database(venture, entrepreneur, seir, manager):
    # a SEiR or a manager is offered nowhere: not one of the programme's entrepreneurs
    for outsider in (seir, manager):
        form = TeamMemberForm({"user": str(outsider.pk), "role": "member"}, venture=venture)
        assert not form.is_valid()
        assert "Select a valid choice" in str(form.errors["user"])

    form = TeamMemberForm({"user": str(entrepreneur.pk), "role": "member"}, venture=venture)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["user"] == entrepreneur
