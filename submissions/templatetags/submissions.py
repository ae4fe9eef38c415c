"""``{% submission_token_input %}``: the one-time token for a form written by hand in a
template (forms built with ``seir.forms.SubmissionTokenMixin`` render it themselves).
``prefix`` is the form's, when the view reads it with one (``PersonCreateForm(...,
prefix="new")`` reads ``new-submission_token``)."""

import uuid

from django import template
from django.utils.html import format_html

from seir.forms import SUBMISSION_TOKEN_FIELD

register = template.Library()


@register.simple_tag
def submission_token_input(prefix: str = ""):
    return format_html(
        '<input type="hidden" name="{}" value="{}">',
        f"{prefix}-{SUBMISSION_TOKEN_FIELD}" if prefix else SUBMISSION_TOKEN_FIELD,
        uuid.uuid4(),
    )
