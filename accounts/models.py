from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.crypto import salted_hmac

from .roles import Role


class User(AbstractUser):
    """Our own user model, so profile fields can be added without a painful migration."""

    is_global_admin = models.BooleanField(
        "global administrator",
        default=False,
        help_text=(
            "Sees and runs every programme and manages users, programmes and reference data "
            "in this admin. A programme membership never grants this."
        ),
    )

    # Part of every session's auth hash (``_get_session_auth_hash``): raising it ends
    # all of the person's sessions on their next request ("sign out everywhere").
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def _get_session_auth_hash(self, secret=None):
        # Django checks this HMAC on every request (AuthenticationMiddleware's user
        # lookup, no extra query) and flushes a session whose hash no longer matches.
        # Epoch 0 keeps Django's own hash, so sessions made before the epoch existed
        # stay valid.
        if not self.session_epoch:
            return super()._get_session_auth_hash(secret=secret)
        return salted_hmac(
            "accounts.User.session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    def save(self, *args, **kwargs):
        # Django admin access (is_staff) is derived from the global administrator role
        # here, the one place every path (service, admin form, createsuperuser) passes
        # through; it is never set on its own.
        self.is_staff = derived_is_staff(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "is_staff" not in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_staff"}
        super().save(*args, **kwargs)

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


def derived_is_staff(user) -> bool:
    """Whether ``user`` may open the Django admin: an active global administrator."""
    return bool(user.is_active and (user.is_superuser or user.is_global_admin))


# The programme's settings its SEiRs change on the programme's page (invitations'
# ``programme_settings_update`` records each change); the admin sets them only when it
# creates a programme.
PROGRAMME_SETTINGS = (
    "target_ventures",
    "target_stage_code",
    "start_date",
    "end_date",
    "stuck_after_days",
    "quiet_after_days",
    "require_two_factor",
)


class Programme(models.Model):
    """One SEiR placement (a PCT, council or region) with its period and target."""

    name = models.CharField(max_length=200, unique=True)
    host_organisation = models.CharField(
        max_length=200, help_text="For example, Birmingham East and North PCT."
    )
    start_date = models.DateField()
    end_date = models.DateField(blank=True, help_text="Defaults to 12 months after the start.")
    target_ventures = models.PositiveSmallIntegerField(
        "target number of social enterprises",
        default=settings.SEIR_DEFAULT_TARGET,
    )
    target_stage_code = models.SlugField(
        "stage that counts towards the target",
        max_length=40,
        default="pilot",
        help_text="Code of the stage a venture must reach within the period to count.",
    )
    # Read by the dashboard (progress.selectors) and the reminders: a venture is "stuck"
    # after this many days in one stage, and "quiet" after this many without activity.
    stuck_after_days = models.PositiveSmallIntegerField(
        "stuck after (days in one stage)",
        default=120,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    quiet_after_days = models.PositiveSmallIntegerField(
        "quiet after (days without activity)",
        default=45,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
    )
    # Everyone in the programme signs in with a second factor, not only its SEiRs and
    # administrators (who always do: security.policy).
    require_two_factor = models.BooleanField(
        "require two-factor sign-in for everyone",
        default=False,
        help_text=(
            "Everyone in the programme (entrepreneurs, PCT managers and commissioners "
            "too) signs in with a code from an authenticator app."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="programme_ends_after_start",
                violation_error_message="The end date must be after the start date.",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.start_date and not self.end_date:
            self.end_date = self.start_date + relativedelta(
                months=settings.SEIR_DEFAULT_PROGRAMME_MONTHS
            )
        super().save(*args, **kwargs)

    def clean(self):
        if self.start_date and not self.end_date:
            self.end_date = self.start_date + relativedelta(
                months=settings.SEIR_DEFAULT_PROGRAMME_MONTHS
            )
        if self.start_date and self.end_date and self.end_date <= self.start_date:
            raise ValidationError({"end_date": "The end date must be after the start date."})


class ProgrammeMembership(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="programme_memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "role", "user"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "user", "role"], name="unique_programme_user_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} in {self.programme}"
