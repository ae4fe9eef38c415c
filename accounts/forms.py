from django import forms
from django.contrib.auth.forms import AuthenticationForm

from .models import User


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "The username or password is not right. Check them and try again "
            "(passwords are case-sensitive). After %(limit)s failed attempts the "
            "account is locked for a while."
        ),
    }

    def clean_username(self):
        # AuthenticationForm sets max_length after the field is built, so nothing checks
        # it: an overlong name would reach authenticate() and the lockout records, whose
        # column is shorter (a 500 on PostgreSQL). No account has such a name.
        username = self.cleaned_data["username"]
        if len(username) > (self.fields["username"].max_length or 150):
            raise self.get_invalid_login_error()
        # An invited person's username is their email address in lower case, and they
        # type it as they know it (Nadia.Hussain@NHS.net): a name that matches one
        # account's but for case is that account's (and counts towards its lockout).
        if not User.objects.filter(username=username).exists():
            matches = User.objects.filter(username__iexact=username).values_list(
                "username", flat=True
            )[:2]
            if len(matches) == 1:
                username = matches[0]
        return username

    def get_invalid_login_error(self):
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )
