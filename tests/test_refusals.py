"""One refusal and one ``require``: every app's refusal is a ``seir.refusals.Refused``,
so a caller that handles them all alike catches one class."""

import pytest
from django.core.exceptions import PermissionDenied

from checklists.services import ChecklistError
from commissioning.services import CommissioningError, StaleStep
from funding.services import ApplicationConflict, FundingError
from invitations.services import InvitationUnusable
from plans.services import PlanError, SectionConflict
from progress.services import ReportRefused
from scouting.services import ImportRefused, RecordGone, ScoutingError
from security.services import TwoFactorError, TwoFactorLocked
from seir.refusals import Refused, require
from ventures.services import EditConflict, MoveRefused, VentureError

APP_REFUSALS = [
    ChecklistError,
    CommissioningError,
    StaleStep,
    FundingError,
    ApplicationConflict,
    InvitationUnusable,
    PlanError,
    SectionConflict,
    ReportRefused,
    ScoutingError,
    ImportRefused,
    RecordGone,
    TwoFactorError,
    TwoFactorLocked,
    VentureError,
    MoveRefused,
    EditConflict,
]


@pytest.mark.parametrize("refusal", APP_REFUSALS, ids=lambda cls: cls.__name__)
def test_every_apps_refusal_is_the_one_refusal(refusal):
    assert issubclass(refusal, Refused)


def test_a_refusal_carries_its_message():
    error = VentureError("Only active ventures move.")

    assert (error.message, str(error)) == (
        "Only active ventures move.",
        "Only active ventures move.",
    )


def test_require_refuses_with_403_and_the_message_given():
    with pytest.raises(PermissionDenied) as refused:
        require(False, "Only the programme's SEiR can do that.")
    assert str(refused.value) == "Only the programme's SEiR can do that."


def test_require_without_a_message_says_no_permission():
    with pytest.raises(PermissionDenied) as refused:
        require(False)
    assert str(refused.value) == "You do not have permission to do that."


def test_require_lets_an_allowed_action_through():
    assert require(True, "never shown") is None
