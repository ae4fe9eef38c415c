from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "The username or password is not right. Check them and try again "
            "(passwords are case-sensitive). After %(limit)s failed attempts the "
            "account is locked for a while."
        ),
    }

    def get_invalid_login_error(self):
        from django.conf import settings

        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.AXES_FAILURE_LIMIT},
        )
