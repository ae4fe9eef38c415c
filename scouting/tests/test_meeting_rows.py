"""The meeting form's repeated rows are formsets (issue 20, "one home for every rule"):
each row form checks its own row with the messages and limits the page had before,
empty rows are ignored, and a meeting takes up to 30 rows of each kind. (On the page:
test_meeting_rows_page.py.)"""

import datetime

import pytest

from accounts.factories import member
from accounts.roles import Role
from scouting.meeting_forms import MAX_ROWS, MeetingRows
from scouting.services import FollowUpRow, IdeaRow, TalentRow
from scouting.tests.rows import rows_post

pytestmark = pytest.mark.django_db

MEETING_DAY = datetime.date(2026, 11, 20)


def bind(seir, people=(), staff=None, meeting_day=MEETING_DAY, **rows) -> MeetingRows:
    return MeetingRows(
        rows_post(**rows),
        people=list(people),
        staff=[seir] if staff is None else staff,
        user=seir,
        meeting_day=meeting_day,
    )


# --- each rule, with its message -------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "message", "field"),
    [
        ({"ideas": [{"description": "No title"}]}, "Idea 1: give it a title.", "ideas-0-title"),
        (
            {"ideas": [{"title": "ok"}, {"title": "x" * 201}]},
            "Idea 2: keep the title under 200 characters.",
            "ideas-1-title",
        ),
        (
            {"ideas": [{"title": "Walking netball", "proposer": "999999"}]},
            "Idea 1: choose who proposed it from the attendees.",
            "ideas-0-proposer",
        ),
        (
            {"talent": [{"note": "A natural organiser"}]},
            "Talent 1: choose one of the attendees.",
            "talent-0-person",
        ),
        (
            {"followups": [{"what": "Call", "due": "31/12/2026"}]},
            "Follow-up 1: the due date must be a date.",
            "followups-0-due",
        ),
        (
            {"followups": [{"what": "Call", "due": "1999-12-31"}]},
            "Follow-up 1: the due date must be between 2000 and 2100.",
            "followups-0-due",
        ),
        (
            {"followups": [{"what": "Call", "due": "2101-01-01"}]},
            "Follow-up 1: the due date must be between 2000 and 2100.",
            "followups-0-due",
        ),
        (
            {"followups": [{"due": "2026-12-01"}]},
            "Follow-up 1: say what needs doing.",
            "followups-0-what",
        ),
        (
            {"followups": [{"what": "x" * 301}]},
            "Follow-up 1: keep it under 300 characters.",
            "followups-0-what",
        ),
        (
            {"followups": [{"what": "Call", "due": "2026-11-19"}]},
            "Follow-up 1: it is due on 19 Nov 2026, before the meeting (20 Nov 2026). Correct "
            "the date, or tick “Yes, before the meeting” under it to keep it.",
            "followups-0-due",
        ),
        (
            {"followups": [{"what": "Call", "who": "999999"}]},
            "Follow-up 1: choose who will do it.",
            "followups-0-who",
        ),
        (
            {"ideas": [{"title": "Walking\x00netball"}]},
            "Idea 1: Null characters are not allowed.",
            "ideas-0-title",
        ),
    ],
)
def test_each_rule_refuses_its_row_with_todays_message(seir, rows, message, field):
    bound = bind(seir, **rows)

    assert not bound.is_valid()
    assert bound.messages() == [message]
    prefix, index, name = field.split("-")
    form = getattr(bound, prefix).forms[int(index)]
    assert form.errors == {name: [message]}
    assert form.row is None


def test_the_first_thing_wrong_is_the_rows_one_message(seir):
    # A bad date is said before a missing "what", as on the page before formsets.
    bound = bind(seir, followups=[{"due": "soon"}])
    assert bound.messages() == ["Follow-up 1: the due date must be a date."]


def test_messages_in_page_order_ideas_talent_then_followups(seir):
    bound = bind(
        seir,
        ideas=[{"title": "ok"}, {"need": "Isolation"}],
        talent=[{"note": "Organiser"}],
        followups=[{"what": "Call", "due": "never"}],
    )
    assert bound.messages() == [
        "Idea 2: give it a title.",
        "Talent 1: choose one of the attendees.",
        "Follow-up 1: the due date must be a date.",
    ]


def test_limits_are_inclusive(seir):
    bound = bind(seir, ideas=[{"title": "t" * 200}], followups=[{"what": "w" * 300}])
    assert bound.is_valid(), bound.messages()
    assert bound.rows()["ideas"][0].title == "t" * 200
    assert bound.rows()["followups"][0].what == "w" * 300


def test_due_dates_at_the_ends_of_the_range_are_taken(seir):
    bound = bind(
        seir,
        meeting_day=None,
        followups=[{"what": "a", "due": "2000-01-01"}, {"what": "b", "due": "2100-12-31"}],
    )
    assert [r.due for r in bound.rows()["followups"]] == [
        datetime.date(2000, 1, 1),
        datetime.date(2100, 12, 31),
    ]


def test_an_early_followup_is_taken_once_its_own_box_is_ticked(seir):
    bound = bind(
        seir,
        followups=[
            {"what": "Call", "due": "2026-11-19", "early": "on"},
            {"what": "Book", "due": "2026-11-18"},
        ],
    )
    assert bound.messages() == [
        "Follow-up 2: it is due on 18 Nov 2026, before the meeting (20 Nov 2026). Correct "
        "the date, or tick “Yes, before the meeting” under it to keep it."
    ]
    first, second = bound.followups.forms
    assert (first.ask_early, second.ask_early) == (False, True)
    assert first.row == FollowUpRow(
        what="Call", assignee=seir, due=datetime.date(2026, 11, 19), before_meeting_confirmed=True
    )


def test_without_a_valid_meeting_date_an_early_date_is_not_asked_about(seir):
    bound = bind(seir, meeting_day=None, followups=[{"what": "Call", "due": "2026-11-19"}])
    assert bound.is_valid()


def test_who_blank_means_me_else_one_of_the_staff(seir, programme):
    colleague = member(programme, Role.SEIR, username="colleague")
    bound = bind(
        seir,
        staff=[seir, colleague],
        followups=[{"what": "Mine", "who": ""}, {"what": "Theirs", "who": str(colleague.pk)}],
    )
    assert [(r.what, r.assignee) for r in bound.rows()["followups"]] == [
        ("Mine", seir),
        ("Theirs", colleague),
    ]


@pytest.mark.parametrize("value", ["²", "٣", "-1", "abc", "99999999999999999999", "+1"])
def test_odd_numbers_are_no_one(seir, nadia, value):
    bound = bind(
        seir,
        people=[nadia],
        ideas=[{"title": "Walking netball", "proposer": value}],
        talent=[{"person": value}],
        followups=[{"what": "Call", "who": value}],
    )
    assert bound.messages() == [
        "Idea 1: choose who proposed it from the attendees.",
        "Talent 1: choose one of the attendees.",
        "Follow-up 1: choose who will do it.",
    ]


def test_valid_rows_are_what_the_service_takes(seir, nadia):
    bound = bind(
        seir,
        people=[nadia],
        ideas=[
            {
                "title": " Walking netball ",
                "description": "d" * 20_001,
                "need": "Inactivity",
                "proposer": str(nadia.pk),
            }
        ],
        talent=[{"person": str(nadia.pk), "note": "Natural organiser"}],
        followups=[{"what": "Send the SEIF form", "who": str(seir.pk), "due": "2026-12-01"}],
    )

    assert bound.is_valid()
    assert bound.rows() == {
        "ideas": [
            IdeaRow(
                title="Walking netball",
                description="d" * 20_000,
                health_need="Inactivity",
                proposers=[nadia],
            )
        ],
        "talent": [TalentRow(person=nadia, note="Natural organiser")],
        "followups": [
            FollowUpRow(what="Send the SEIF form", assignee=seir, due=datetime.date(2026, 12, 1))
        ],
    }


# --- empty rows, and how many --------------------------------------------------------


def test_empty_rows_are_ignored(seir, programme):
    colleague = member(programme, Role.SEIR, username="colleague")
    bound = bind(
        seir,
        staff=[seir, colleague],
        ideas=[{"title": "  ", "description": "", "need": "", "proposer": ""}],
        talent=[{"person": "", "note": " "}],
        # A "who" changed, or an early box ticked, with nothing typed is still no row.
        followups=[
            {"what": "", "who": str(colleague.pk), "due": ""},
            {"what": "Call", "due": "2026-12-01"},
            {"early": "on"},
        ],
    )

    assert bound.is_valid(), bound.messages()
    assert bound.rows()["ideas"] == [] and bound.rows()["talent"] == []
    assert [r.what for r in bound.rows()["followups"]] == ["Call"]


def test_up_to_thirty_rows_of_each_kind(seir):
    full = bind(seir, ideas=[{"title": f"Idea {i}"} for i in range(MAX_ROWS)])
    assert full.is_valid() and len(full.rows()["ideas"]) == 30

    over = bind(
        seir,
        ideas=[{"title": f"Idea {i}"} for i in range(MAX_ROWS + 1)],
        followups=[{"what": f"Call {i}"} for i in range(MAX_ROWS + 1)],
    )
    assert not over.is_valid()
    assert over.messages() == [
        "Up to 30 ideas in one meeting: log the rest in another.",
        "Up to 30 follow-ups in one meeting: log the rest in another.",
    ]
    assert over.ideas.full_message == "Up to 30 ideas in one meeting: log the rest in another."


def test_an_unbound_form_offers_one_row_of_each_kind_with_me_as_who(seir):
    rows = MeetingRows(people=[], staff=[seir], user=seir)
    assert [len(rows.ideas.forms), len(rows.talent.forms), len(rows.followups.forms)] == [1, 1, 1]
    assert rows.followups.forms[0]["who"].value() == str(seir.pk)
    assert rows.ideas.management_form["MAX_NUM_FORMS"].value() == 30
