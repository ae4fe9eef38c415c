"""Scouting views: thin wrappers over selectors and services, one module per concern."""

from .directory import (
    organisation_detail,
    organisation_export_csv,
    organisation_list,
    organisation_new,
    person_data_export,
    person_detail,
    person_erase_page,
    person_export_csv,
    person_list,
    person_new,
    person_quick_add,
    person_search,
)
from .edits import organisation_edit, person_edit
from .home import home
from .ideas import idea_detail, idea_edit, idea_list, idea_new, idea_promote_page, idea_status
from .imports import directory_import_page
from .meeting_edits import meeting_delete_page, meeting_edit
from .meetings import (
    draft_autosave,
    draft_delete,
    draft_token,
    followup_toggle,
    meeting_detail,
    meeting_export_csv,
    meeting_list,
    meeting_new,
    my_followups,
    organisation_search,
)
from .merges import (
    duplicate_list,
    duplicate_mark_different,
    organisation_merge_page,
    person_merge_page,
)

__all__ = [
    "directory_import_page",
    "draft_autosave",
    "draft_delete",
    "draft_token",
    "duplicate_list",
    "duplicate_mark_different",
    "followup_toggle",
    "home",
    "idea_detail",
    "idea_edit",
    "idea_list",
    "idea_new",
    "idea_promote_page",
    "idea_status",
    "meeting_delete_page",
    "meeting_detail",
    "meeting_edit",
    "meeting_export_csv",
    "meeting_list",
    "meeting_new",
    "my_followups",
    "organisation_detail",
    "organisation_edit",
    "organisation_export_csv",
    "organisation_list",
    "organisation_merge_page",
    "organisation_new",
    "organisation_search",
    "person_data_export",
    "person_detail",
    "person_edit",
    "person_erase_page",
    "person_export_csv",
    "person_list",
    "person_merge_page",
    "person_new",
    "person_quick_add",
    "person_search",
]
