"""Writes. Each service checks the actor's permission, validates, records what it did and
runs inside one transaction. Everything is re-exported here."""

from .common import ScoutingError
from .directory import (
    names_similar,
    organisation_create,
    organisation_merge,
    organisation_update,
    person_create,
    person_duplicates,
    person_merge,
    person_update,
)
from .ideas import idea_create, idea_link_venture, idea_promote, idea_set_status, idea_update
from .imports import COLUMNS, ImportRefused, ImportRow, directory_import, import_preview
from .meetings import (
    AlreadyLogged,
    FollowUpRow,
    IdeaRow,
    MeetingInput,
    TalentRow,
    draft_discard,
    draft_save,
    followup_add,
    followup_set_done,
    meeting_log,
)
from .privacy import person_erase, person_export

__all__ = [
    "AlreadyLogged",
    "COLUMNS",
    "FollowUpRow",
    "IdeaRow",
    "ImportRefused",
    "ImportRow",
    "MeetingInput",
    "ScoutingError",
    "TalentRow",
    "directory_import",
    "draft_discard",
    "draft_save",
    "followup_add",
    "followup_set_done",
    "idea_create",
    "idea_link_venture",
    "idea_promote",
    "idea_set_status",
    "idea_update",
    "import_preview",
    "meeting_log",
    "names_similar",
    "organisation_create",
    "organisation_merge",
    "organisation_update",
    "person_create",
    "person_duplicates",
    "person_erase",
    "person_export",
    "person_merge",
    "person_update",
]
