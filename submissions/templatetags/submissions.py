"""``{% submission_token_input %}``: the one-time token for a form written by hand in a
template (forms built with ``seir.forms.SubmissionTokenMixin`` render it themselves).
``prefix`` is the form's, when the view reads it with one (``PersonCreateForm(...,
prefix="new")`` reads ``new-submission_token``)."""

import uuid

from django import template
from django.utils.html import format_html

from seir.forms import submission_token_name

register = template.Library()


@register.simple_tag
def submission_token_input(prefix: str = ""):
    return format_html(
        '<input type="hidden" name="{}" value="{}">',
        submission_token_name(prefix),
        uuid.uuid4(),
    )
