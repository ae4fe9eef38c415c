"""``{% submission_token_input %}``: the one-time token for a form written by hand in a
template (forms built with ``seir.forms.SubmissionTokenMixin`` render it themselves)."""

import uuid

from django import template
from django.utils.html import format_html

from seir.forms import SUBMISSION_TOKEN_FIELD

register = template.Library()


@register.simple_tag
def submission_token_input():
    return format_html(
        '<input type="hidden" name="{}" value="{}">',
        SUBMISSION_TOKEN_FIELD,
        uuid.uuid4(),
    )
