"""Introductions to commissioners and referrals to support providers: one dated
lifecycle, its allowed steps kept as data next to the choices."""

from django.conf import settings
from django.db import models

from seir.transitions import Move, Transitions

from .organisations import Commissioner, Contact, Priority
from .reference import SupportType


class Step(models.TextChoices):
    REQUESTED = "requested", "Requested"
    INTRODUCED = "introduced", "Introduced"
    MEETING_AGREED = "meeting_agreed", "Meeting agreed"
    MEETING_HELD = "meeting_held", "Meeting held"
    PILOT_AGREED = "pilot_agreed", "Pilot / grant agreed"
    TENDER = "tender", "Tender / qualification"
    CONTRACT_AWARDED = "contract_awarded", "Contract awarded"
    DECLINED = "declined", "Declined"
    NO_RESPONSE = "no_response", "No response"


_CLOSED = (Step.DECLINED, Step.NO_RESPONSE)

# Who may make a move: programme staff make every move in STEP_TRANSITIONS; the addressed
# commissioner also makes those marked ``by=COMMISSIONER`` (agree a meeting, or decline),
# whether or not the SEiR has recorded "Introduced" yet.
COMMISSIONER = "commissioner"


def _answer(step: str) -> Move:
    return Move(step, by=COMMISSIONER)


# The lifecycle as data: step -> the steps it may move to. Declined / no response are
# possible from every open step; the three outcomes are final. A meeting may be agreed
# (with proposed dates) before it is held, or recorded as held straight away.
STEP_TRANSITIONS = Transitions(
    {
        Step.REQUESTED: (
            Step.INTRODUCED,
            _answer(Step.MEETING_AGREED),
            _answer(Step.DECLINED),
            Step.NO_RESPONSE,
        ),
        Step.INTRODUCED: (
            _answer(Step.MEETING_AGREED),
            Step.MEETING_HELD,
            _answer(Step.DECLINED),
            Step.NO_RESPONSE,
        ),
        Step.MEETING_AGREED: (Step.MEETING_HELD, *_CLOSED),
        Step.MEETING_HELD: (Step.PILOT_AGREED, Step.TENDER, Step.CONTRACT_AWARDED, *_CLOSED),
        Step.PILOT_AGREED: (Step.TENDER, Step.CONTRACT_AWARDED, *_CLOSED),
        Step.TENDER: (Step.CONTRACT_AWARDED, *_CLOSED),
        Step.CONTRACT_AWARDED: (),
        Step.DECLINED: (),
        Step.NO_RESPONSE: (),
    },
    labels=Step,
)
# The moves the addressed commissioner may make, as (from, to) pairs.
COMMISSIONER_MOVES: frozenset[tuple[str, str]] = STEP_TRANSITIONS.pairs(by=COMMISSIONER)
# Moving to these needs a written note (the reason).
STEPS_NEEDING_NOTE = frozenset({Step.DECLINED})
# Moving to these needs one or more proposed meeting dates (introductions only).
STEPS_NEEDING_DATES = frozenset({Step.MEETING_AGREED})
MAX_PROPOSED_DATES = 3
# Closed without an answer or with a "no": the commissioner no longer reads the venture's
# profile through this introduction (the introduction itself stays in their list).
CLOSED_STEPS = frozenset(_CLOSED)
FINAL_STEPS = frozenset(step for step in STEP_TRANSITIONS if not STEP_TRANSITIONS.targets(step))
SUCCESS_STEPS = frozenset({Step.CONTRACT_AWARDED})


class Referral(models.Model):
    """What an introduction and a support referral share: who, when, why, and the step."""

    venture = models.ForeignKey("ventures.Venture", on_delete=models.CASCADE, related_name="+")
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    made_on = models.DateField()
    purpose = models.TextField()
    step = models.CharField(max_length=20, choices=Step.choices, default=Step.REQUESTED)
    step_on = models.DateField(help_text="When the current step happened.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_final(self) -> bool:
        return self.step in FINAL_STEPS

    def next_steps(self) -> list[Step]:
        return [Step(s) for s in STEP_TRANSITIONS.targets(self.step)]


class Introduction(Referral):
    """A venture introduced to a named contact at a commissioner."""

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="introductions")
    # The contact's organisation, kept on the row so lists filter and permissions check
    # without a join; set by the service from the contact.
    commissioner = models.ForeignKey(
        Commissioner, on_delete=models.PROTECT, related_name="introductions"
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.SET_NULL, null=True, blank=True, related_name="introductions"
    )

    class Meta:
        ordering = ["-made_on", "-id"]
        indexes = [
            models.Index(fields=["step", "-made_on"]),
            # The ledger's rows, latest first (walked for a page of ids).
            models.Index(fields=["-made_on", "-id"], name="intro_latest_idx"),
            # A pipeline column: one step, latest first (selectors.introduction_pipeline).
            models.Index(fields=["step", "-step_on", "-id"], name="intro_step_latest_idx"),
            models.Index(fields=["commissioner", "step"]),
            models.Index(fields=["made_by", "step"]),
        ]

    def __str__(self):
        return f"{self.venture} → {self.commissioner}"


class IntroductionDay(models.Model):
    """Introductions per programme, day made and current step, kept by every write in
    the same transaction (``commissioning.tallies``), so the dashboard counts a period's
    introductions by step by summing day rows instead of joining every introduction of
    the period to its venture. Whole programme only: the rows do not split by SEiR."""

    programme = models.ForeignKey("accounts.Programme", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    step = models.CharField(max_length=20, choices=Step.choices)
    introductions = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "day", "step"], name="introduction_day_once"
            )
        ]

    def __str__(self):
        return f"{self.day}: {self.introductions} at {self.step}"


class SupportProvider(models.Model):
    """A professional-support provider ventures are referred to."""

    name = models.CharField(max_length=200)
    support_type = models.ForeignKey(SupportType, on_delete=models.PROTECT)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "support_type"], name="unique_provider"),
        ]

    def __str__(self):
        return f"{self.name} ({self.support_type})"


class SupportReferral(Referral):
    """A venture referred to a provider of legal, accounting, marketing... support."""

    provider = models.ForeignKey(
        SupportProvider, on_delete=models.PROTECT, related_name="referrals"
    )

    class Meta:
        ordering = ["-made_on", "-id"]

    def __str__(self):
        return f"{self.venture} → {self.provider.name}"


class IntroductionStep(models.Model):
    """One dated step of an introduction: who, when, from, to, note. Kept as a row, not
    only as its event, because the meeting dates proposed with it hang off it (the
    calendar feed and the CSV read them). A support referral's steps are its events."""

    introduction = models.ForeignKey(Introduction, on_delete=models.CASCADE, related_name="steps")
    from_step = models.CharField(max_length=20, choices=Step.choices, blank=True)
    to_step = models.CharField(max_length=20, choices=Step.choices)
    on = models.DateField()
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self):
        return f"{self.introduction}: {self.from_step or '—'} → {self.to_step}"


class ProposedMeetingDate(models.Model):
    """A date proposed for the meeting when an introduction moved to "Meeting agreed"."""

    step = models.ForeignKey(
        IntroductionStep, on_delete=models.CASCADE, related_name="proposed_dates"
    )
    on = models.DateField()

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["step", "on"], name="unique_proposed_date"),
        ]

    def __str__(self):
        return f"{self.step.introduction}: {self.on:%d %b %Y}"
