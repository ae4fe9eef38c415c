"""The declared permission matrix (issue 21, item 2): who may GET and POST every route.

One row per named route: the identities that may GET it, those that may POST to it, and
(``on``) which object of the test world each parameter of its address names.
tests/test_permission_matrix.py requests every route as every identity, with the real
objects of tests/permission_world.py, and compares what it is answered with the row:

- allowed: 2xx, or a redirect anywhere but a sign-in page; for a POST (sent with no
  data) also 400/422 or a page showing the form's errors;
- refused: 403, 404, 405 or a redirect to a sign-in page (anonymous visitors and
  deactivated accounts are always sent to sign in).

Identities (A is the programme of the world, B another one):
  ANONYMOUS           nobody signed in
  GLOBAL_ADMIN        ``User.is_global_admin``, no membership: runs every programme
  PROGRAMME_ADMIN     administrator member of A (not global)
  SEIR                SEiR of A, the venture's SEiR
  OTHER_SEIR          SEiR of B
  MANAGER             PCT manager of A
  COMMISSIONER        commissioner of A, contact of the organisation introduced to
  OTHER_COMMISSIONER  commissioner of A, contact of another organisation
  ENTREPRENEUR        lead of the venture (team A)
  OTHER_ENTREPRENEUR  lead of another venture of A (team B)
  NO_MEMBERSHIP       an account with no role anywhere
  DEACTIVATED         a global administrator and SEiR of A whose account was deactivated
                      while signed in: signed out, so always as ANONYMOUS

Adding a route: add its row below (the test's failure message for an unknown route
prints the row it observed; check it says what you intend before pasting it).
"""

from __future__ import annotations

import fnmatch
from typing import NamedTuple

ANONYMOUS = "anonymous"
GLOBAL_ADMIN = "global_admin"
PROGRAMME_ADMIN = "programme_admin"
SEIR = "seir"
OTHER_SEIR = "other_seir"
MANAGER = "manager"
COMMISSIONER = "commissioner"
OTHER_COMMISSIONER = "other_commissioner"
ENTREPRENEUR = "entrepreneur"
OTHER_ENTREPRENEUR = "other_entrepreneur"
NO_MEMBERSHIP = "no_membership"
DEACTIVATED = "deactivated"

IDENTITIES = (
    ANONYMOUS,
    GLOBAL_ADMIN,
    PROGRAMME_ADMIN,
    SEIR,
    OTHER_SEIR,
    MANAGER,
    COMMISSIONER,
    OTHER_COMMISSIONER,
    ENTREPRENEUR,
    OTHER_ENTREPRENEUR,
    NO_MEMBERSHIP,
    DEACTIVATED,
)

# --- the groups rows are written with --------------------------------------------------
NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(IDENTITIES)
SIGNED_IN = EVERYONE - {ANONYMOUS, DEACTIVATED}
# Who runs programme A's pipeline: the global administrator, A's administrator and SEiR.
RUNS_A = frozenset({GLOBAL_ADMIN, PROGRAMME_ADMIN, SEIR})
# ... and who oversees it: they and A's PCT manager (reads, never writes).
OVERSEES_A = RUNS_A | {MANAGER}
# Programme staff of any programme: pages that list their own programmes' things
# (B's SEiR gets B's rows, never A's).
STAFF = RUNS_A | {OTHER_SEIR}
STAFF_AND_MANAGERS = STAFF | {MANAGER}
TEAM = frozenset({ENTREPRENEUR})
ENTREPRENEURS = TEAM | {OTHER_ENTREPRENEUR}
COMMISSIONERS = frozenset({COMMISSIONER, OTHER_COMMISSIONER})

# Named groups, largest first: the failure message writes observed sets with them.
GROUPS = {
    "SIGNED_IN": SIGNED_IN,
    "STAFF_AND_MANAGERS": STAFF_AND_MANAGERS,
    "STAFF": STAFF,
    "OVERSEES_A": OVERSEES_A,
    "RUNS_A": RUNS_A,
    "ENTREPRENEURS": ENTREPRENEURS,
    "COMMISSIONERS": COMMISSIONERS,
    "TEAM": TEAM,
}


class Row(NamedTuple):
    get: frozenset[str]
    post: frozenset[str]
    # route parameter -> the world object it names (tests/permission_world.py);
    # "=text" puts the text itself in the address.
    on: dict[str, str] = {}


V = {"pk": "venture"}  # the routes about the venture of team A
# The Django admin's rows.
ADMIN = Row(get={GLOBAL_ADMIN}, post={GLOBAL_ADMIN})
READ_ONLY = Row(get={GLOBAL_ADMIN}, post=NOBODY)
CLOSED = Row(get=NOBODY, post=NOBODY)

# fmt: off
ROWS: dict[str, Row] = {
    # --- signing in, the start page, public pages ---------------------------------------
    "home": Row(get=SIGNED_IN, post=NOBODY),
    "healthz": Row(get=EVERYONE, post=NOBODY),
    # Your own account and its second factor (security): only about yourself.
    "security:account": Row(get=SIGNED_IN, post=NOBODY),
    "security:verify": Row(get=SIGNED_IN, post=SIGNED_IN),
    "security:enrol": Row(get=SIGNED_IN, post=SIGNED_IN),
    "security:backup_codes": Row(get=SIGNED_IN, post=NOBODY),
    "security:backup_codes_new": Row(get=NOBODY, post=SIGNED_IN),
    "security:remove": Row(get=NOBODY, post=SIGNED_IN),
    "security:sign_out_everywhere": Row(get=NOBODY, post=SIGNED_IN),
    "login": Row(get=EVERYONE, post=EVERYONE),
    # Signing out lands on the sign-in page (with no way back: that is it working).
    "logout": Row(get=NOBODY, post=SIGNED_IN),
    "password_reset": Row(get=EVERYONE, post=EVERYONE),
    "password_reset_done": Row(get=EVERYONE, post=NOBODY),
    "password_reset_confirm": Row(get=EVERYONE, post=EVERYONE, on={"uidb64": "=MQ", "token": "=set-password"}),
    "password_reset_complete": Row(get=EVERYONE, post=NOBODY),
    "password_change": Row(get=SIGNED_IN, post=SIGNED_IN),
    "password_change_done": Row(get=SIGNED_IN, post=NOBODY),
    # The page's current CSRF token, for a form left open across a sign-in elsewhere.
    "session_token": Row(get=SIGNED_IN, post=NOBODY),
    "sitepages:accessibility": Row(get=EVERYONE, post=NOBODY),
    "sitepages:privacy": Row(get=EVERYONE, post=NOBODY),
    # The link in an invitation email: anyone holding it (an existing account adds the role).
    "invitations:accept": Row(get=EVERYONE, post=EVERYONE, on={"token": "invitation_token"}),
    # A calendar app opens the feed with the secret in its address, never a session.
    "reminders:calendar_feed": Row(get=EVERYONE, post=NOBODY, on={"token": "calendar_token"}),
    # --- a person's own things -------------------------------------------------------
    "ventures:mine": Row(get=SIGNED_IN, post=NOBODY),
    "inbox:read": Row(get=NOBODY, post=SIGNED_IN),
    "inbox:notifications": Row(get=SIGNED_IN, post=SIGNED_IN),
    "inbox:read_all": Row(get=NOBODY, post=SIGNED_IN),
    "inbox:preferences": Row(get=SIGNED_IN, post=SIGNED_IN),
    # The notification is the entrepreneur's.
    "inbox:open": Row(get=TEAM, post=TEAM, on={"pk": "notification"}),
    "inbox:mark": Row(get=NOBODY, post=TEAM, on={"pk": "notification"}),
    "reminders:calendar": Row(get=SIGNED_IN, post=NOBODY),
    "reminders:calendar_create": Row(get=NOBODY, post=SIGNED_IN),
    "reminders:calendar_revoke": Row(get=NOBODY, post=SIGNED_IN),
    # --- programmes and their members ------------------------------------------------------
    "programmes:list": Row(get=SIGNED_IN, post=NOBODY),
    "programmes:detail": Row(get=OVERSEES_A | ENTREPRENEURS | COMMISSIONERS, post=NOBODY, on={"pk": "home"}),
    "events:programme_activity": Row(get=OVERSEES_A, post=NOBODY, on={"programme_id": "home"}),
    "events:programme_activity_export": Row(get=OVERSEES_A, post=NOBODY, on={"programme_id": "home"}),
    "invitations:create": Row(get=RUNS_A, post=RUNS_A, on={"pk": "home"}),
    "invitations:programme_settings": Row(get={GLOBAL_ADMIN, PROGRAMME_ADMIN}, post={GLOBAL_ADMIN, PROGRAMME_ADMIN}, on={"pk": "home"}),
    "invitations:revoke": Row(get=NOBODY, post=RUNS_A, on={"pk": "home", "invitation_id": "invitation"}),
    "invitations:member_remove": Row(get=RUNS_A, post=RUNS_A, on={"pk": "home", "membership_id": "programme_membership"}),
    # --- the pipeline: lists show each person their own programmes' or teams' ventures ---
    "ventures:list": Row(get=STAFF_AND_MANAGERS | ENTREPRENEURS, post=NOBODY),
    "ventures:export": Row(get=STAFF_AND_MANAGERS | ENTREPRENEURS, post=NOBODY),
    "ventures:board": Row(get=STAFF_AND_MANAGERS | ENTREPRENEURS, post=NOBODY),
    "ventures:board_column": Row(get=OVERSEES_A | ENTREPRENEURS, post=NOBODY, on={"stage_id": "stage"}),
    "ventures:create": Row(get=STAFF, post=STAFF),
    "ventures:detail": Row(get=OVERSEES_A | TEAM, post=NOBODY, on=V),
    "ventures:card": Row(get=OVERSEES_A | TEAM, post=NOBODY, on=V),
    "ventures:timeline": Row(get=OVERSEES_A | TEAM, post=NOBODY, on=V),
    "ventures:activity": Row(get=RUNS_A, post=NOBODY, on=V),
    "ventures:edit": Row(get=RUNS_A | TEAM, post=RUNS_A | TEAM, on=V),
    "ventures:move": Row(get=RUNS_A, post=RUNS_A, on=V),
    "ventures:status": Row(get=NOBODY, post=RUNS_A, on=V),
    "ventures:note_add": Row(get=NOBODY, post=RUNS_A | TEAM, on=V),
    "ventures:revert": Row(get=NOBODY, post=RUNS_A, on={"pk": "venture", "change_id": "field_change"}),
    "ventures:gate_confirm": Row(get=NOBODY, post=RUNS_A, on={"pk": "venture", "condition_id": "gate_condition"}),
    "ventures:team_add": Row(get=NOBODY, post=RUNS_A, on=V),
    "ventures:team_remove": Row(get=NOBODY, post=RUNS_A, on={"pk": "venture", "membership_id": "team_membership"}),
    # --- business plans: managers read submitted versions, never the draft ------------------
    "plans:plan": Row(get=OVERSEES_A | TEAM, post=NOBODY, on=V),
    "plans:section_edit": Row(get=RUNS_A | TEAM, post=RUNS_A | TEAM, on={"pk": "venture", "code": "plan_section"}),
    "plans:submit": Row(get=NOBODY, post=RUNS_A | TEAM, on=V),
    "plans:compare": Row(get=OVERSEES_A | TEAM, post=NOBODY, on=V),
    "plans:version": Row(get=OVERSEES_A | TEAM, post=NOBODY, on={"pk": "venture", "number": "plan_version"}),
    "plans:comment_add": Row(get=NOBODY, post=RUNS_A, on={"pk": "venture", "number": "plan_version"}),
    # The comment is the SEiR's; a PCT manager reads replies, never writes one.
    "plans:reply": Row(get=NOBODY, post=RUNS_A, on={"pk": "venture", "comment": "plan_comment"}),
    "plans:review": Row(get=NOBODY, post=RUNS_A, on={"pk": "venture", "number": "plan_version"}),
    "plans:print": Row(get=OVERSEES_A | TEAM, post=NOBODY, on={"pk": "venture", "number": "plan_version"}),
    "plans:pdf": Row(get=OVERSEES_A | TEAM, post=NOBODY, on={"pk": "venture", "number": "plan_version"}),
    # --- due diligence: managers read statuses, never the evidence -------------------------
    "checklists:venture": Row(get=OVERSEES_A | TEAM, post=NOBODY, on=V),
    "checklists:create": Row(get=NOBODY, post=RUNS_A, on=V),
    "checklists:item_add": Row(get=RUNS_A, post=RUNS_A, on=V),
    "checklists:item": Row(get=OVERSEES_A | TEAM, post=NOBODY, on={"item_id": "checklist_item"}),
    "checklists:item_move": Row(get=NOBODY, post=RUNS_A | TEAM, on={"item_id": "checklist_item"}),
    "checklists:item_edit": Row(get=NOBODY, post=RUNS_A, on={"item_id": "checklist_item"}),
    "checklists:item_remove": Row(get=NOBODY, post=RUNS_A, on={"item_id": "checklist_item"}),
    "checklists:evidence_upload": Row(get=NOBODY, post=RUNS_A | TEAM, on={"item_id": "checklist_item"}),
    "checklists:evidence_link": Row(get=NOBODY, post=RUNS_A | TEAM, on={"item_id": "checklist_item"}),
    "checklists:evidence_download": Row(get=RUNS_A | TEAM, post=NOBODY, on={"evidence_id": "evidence"}),
    # --- funding and outcomes ---------------------------------------------------------------
    "funding:programme": Row(get=STAFF_AND_MANAGERS, post=NOBODY),
    "funding:venture": Row(get=OVERSEES_A | TEAM, post=NOBODY, on=V),
    "funding:add": Row(get=NOBODY, post=RUNS_A | TEAM, on=V),
    "funding:edit": Row(get=RUNS_A | TEAM, post=RUNS_A | TEAM, on={"pk": "application"}),
    "funding:status": Row(get=NOBODY, post=RUNS_A | TEAM, on={"pk": "application"}),
    "funding:document_upload": Row(get=NOBODY, post=RUNS_A | TEAM, on={"pk": "application"}),
    "funding:document": Row(get=RUNS_A | TEAM, post=NOBODY, on={"pk": "funding_document"}),
    "outcomes:venture": Row(get=OVERSEES_A | TEAM, post=NOBODY, on=V),
    "outcomes:indicator_add": Row(get=NOBODY, post=RUNS_A | TEAM, on=V),
    "outcomes:indicator_share": Row(get=NOBODY, post=RUNS_A | TEAM, on={"pk": "venture", "indicator_id": "indicator"}),
    "outcomes:measurement_add": Row(get=NOBODY, post=RUNS_A | TEAM, on={"pk": "venture", "indicator_id": "indicator"}),
    "outcomes:measurement_correct": Row(get=NOBODY, post=RUNS_A | TEAM, on={"pk": "venture", "measurement_id": "measurement"}),
    # --- commissioning: the directory of organisations is shared by every programme --------
    "commissioning:commissioners": Row(get=STAFF_AND_MANAGERS, post=NOBODY),
    "commissioning:commissioner_create": Row(get=STAFF, post=STAFF),
    "commissioning:commissioner": Row(get=STAFF_AND_MANAGERS, post=NOBODY, on={"pk": "commissioner_org"}),
    "commissioning:contact_create": Row(get=STAFF, post=STAFF, on={"pk": "commissioner_org"}),
    "commissioning:priority_create": Row(get=STAFF, post=STAFF, on={"pk": "commissioner_org"}),
    "commissioning:priority": Row(get=STAFF_AND_MANAGERS, post=NOBODY, on={"pk": "priority"}),
    "commissioning:window_create": Row(get=STAFF, post=STAFF, on={"pk": "priority"}),
    "commissioning:ledger": Row(get=STAFF_AND_MANAGERS, post=NOBODY),
    # Commissioners list only the introductions addressed to them.
    "commissioning:introductions": Row(get=STAFF_AND_MANAGERS | COMMISSIONERS, post=NOBODY),
    "commissioning:export": Row(get=STAFF_AND_MANAGERS | COMMISSIONERS, post=NOBODY),
    "commissioning:introduction_create": Row(get=STAFF, post=STAFF),
    # The introduction is addressed to COMMISSIONER's organisation.
    "commissioning:introduction": Row(get=OVERSEES_A | TEAM | {COMMISSIONER}, post=NOBODY, on={"pk": "introduction"}),
    "commissioning:introduction_step": Row(get=NOBODY, post=RUNS_A, on={"pk": "introduction"}),
    "commissioning:introduction_respond": Row(get=NOBODY, post={COMMISSIONER}, on={"pk": "introduction"}),
    "commissioning:venture_tab": Row(get=OVERSEES_A | TEAM, post=NOBODY, on=V),
    "commissioning:focus": Row(get=NOBODY, post=RUNS_A | TEAM, on=V),
    "commissioning:contract_create": Row(get=RUNS_A, post=RUNS_A, on=V),
    "commissioning:referral_create": Row(get=RUNS_A, post=RUNS_A, on=V),
    "commissioning:contract": Row(get=OVERSEES_A | TEAM, post=RUNS_A, on={"pk": "contract"}),
    "commissioning:referral": Row(get=OVERSEES_A | TEAM, post=RUNS_A, on={"pk": "referral"}),
    # --- scouting: staff only; managers see the funnel on its home page ---------------------
    "scouting:home": Row(get=STAFF_AND_MANAGERS, post=NOBODY),
    "scouting:meeting_list": Row(get=STAFF, post=NOBODY),
    "scouting:meeting_export": Row(get=STAFF, post=NOBODY),
    "scouting:meeting_log": Row(get=STAFF, post=STAFF),
    "scouting:draft_save": Row(get=NOBODY, post=STAFF),
    "scouting:draft_token": Row(get=STAFF, post=NOBODY),
    "scouting:draft_discard": Row(get=NOBODY, post=STAFF),
    "scouting:meeting_detail": Row(get=RUNS_A, post=NOBODY, on={"pk": "meeting"}),
    "scouting:meeting_edit": Row(get=RUNS_A, post=RUNS_A, on={"pk": "meeting"}),
    "scouting:meeting_delete": Row(get=RUNS_A, post=RUNS_A, on={"pk": "meeting"}),
    "scouting:followups": Row(get=STAFF, post=NOBODY),
    "scouting:followup_toggle": Row(get=NOBODY, post=RUNS_A, on={"pk": "followup"}),
    "scouting:person_list": Row(get=STAFF, post=NOBODY),
    "scouting:person_export": Row(get=STAFF, post=NOBODY),
    "scouting:person_create": Row(get=STAFF, post=STAFF),
    "scouting:person_search": Row(get=STAFF, post=NOBODY),
    "scouting:person_quick_add": Row(get=NOBODY, post=STAFF),
    "scouting:person_detail": Row(get=RUNS_A, post=NOBODY, on={"pk": "person"}),
    "scouting:person_edit": Row(get=RUNS_A, post=RUNS_A, on={"pk": "person"}),
    "scouting:person_merge": Row(get=RUNS_A, post=RUNS_A, on={"pk": "person"}),
    "scouting:person_data": Row(get=NOBODY, post=RUNS_A, on={"pk": "person"}),
    "scouting:person_erase": Row(get=RUNS_A, post=RUNS_A, on={"pk": "person"}),
    "scouting:organisation_list": Row(get=STAFF, post=NOBODY),
    "scouting:organisation_export": Row(get=STAFF, post=NOBODY),
    "scouting:organisation_create": Row(get=STAFF, post=STAFF),
    "scouting:organisation_search": Row(get=STAFF, post=NOBODY),
    "scouting:organisation_detail": Row(get=RUNS_A, post=NOBODY, on={"pk": "organisation"}),
    "scouting:organisation_edit": Row(get=RUNS_A, post=RUNS_A, on={"pk": "organisation"}),
    "scouting:organisation_merge": Row(get=RUNS_A, post=RUNS_A, on={"pk": "organisation"}),
    "scouting:import": Row(get=STAFF, post=STAFF),
    "scouting:duplicates": Row(get=STAFF, post=NOBODY),
    "scouting:duplicate_dismiss": Row(get=NOBODY, post=STAFF),
    "scouting:idea_list": Row(get=STAFF, post=NOBODY),
    "scouting:idea_create": Row(get=STAFF, post=STAFF),
    "scouting:idea_detail": Row(get=RUNS_A, post=NOBODY, on={"pk": "idea"}),
    "scouting:idea_edit": Row(get=RUNS_A, post=RUNS_A, on={"pk": "idea"}),
    "scouting:idea_status": Row(get=NOBODY, post=RUNS_A, on={"pk": "idea"}),
    "scouting:idea_promote": Row(get=RUNS_A, post=RUNS_A, on={"pk": "idea"}),
    # --- figures and reports ---------------------------------------------------------------
    "progress:dashboard": Row(get=STAFF_AND_MANAGERS, post=NOBODY),
    "progress:csv": Row(get=STAFF_AND_MANAGERS, post=NOBODY, on={"table": "=target"}),
    "progress:rows": Row(get=STAFF_AND_MANAGERS, post=NOBODY, on={"kind": "=achieved"}),
    "reports:list": Row(get=STAFF_AND_MANAGERS, post=NOBODY),
    "reports:generate": Row(get=NOBODY, post=STAFF_AND_MANAGERS),
    "reports:run": Row(get=OVERSEES_A, post=NOBODY, on={"pk": "report_run"}),
    "reports:run_status": Row(get=OVERSEES_A, post=NOBODY, on={"pk": "report_run"}),
    "reports:detail": Row(get=OVERSEES_A, post=NOBODY, on={"pk": "report"}),
    "reports:csv": Row(get=OVERSEES_A, post=NOBODY, on={"pk": "report"}),
    "reports:pdf": Row(get=OVERSEES_A, post=NOBODY, on={"pk": "report"}),
    # --- the Django admin's own pages (its models' pages are in PATTERN_ROWS) ---------------
    # The admin has no sign-in of its own: everyone is sent to the site's (with its
    # second factor), so the walk reads it as a sign-in redirect for all.
    "admin:login": Row(get=NOBODY, post=NOBODY),
    "admin:autocomplete": CLOSED,  # without its query it refuses everyone
    "admin:jsi18n": READ_ONLY,
    "admin:password_change_done": READ_ONLY,
    # Others signed in are sent to the admin's index (which asks them to sign in as an
    # administrator); an administrator signs out with a POST.
    "admin:logout": Row(get=SIGNED_IN - {GLOBAL_ADMIN}, post=SIGNED_IN),
    # Anything else under /admin/ (here /admin/admin): not found.
    "admin:<unnamed /admin/(?P<url>.*)$>": CLOSED,
    # Records only the services write: read in the admin, never added, changed or deleted.
    "admin:events_event_add": CLOSED, "admin:events_event_change": READ_ONLY, "admin:events_event_delete": CLOSED,
    "admin:plans_businessplan_add": CLOSED, "admin:plans_businessplan_change": READ_ONLY, "admin:plans_businessplan_delete": CLOSED,
    "admin:plans_draftsection_add": CLOSED, "admin:plans_draftsection_change": READ_ONLY, "admin:plans_draftsection_delete": CLOSED,
    "admin:plans_planversion_add": CLOSED, "admin:plans_planversion_change": READ_ONLY, "admin:plans_planversion_delete": CLOSED,
    "admin:plans_planreview_add": CLOSED, "admin:plans_planreview_change": READ_ONLY, "admin:plans_planreview_delete": CLOSED,
    "admin:plans_plancomment_add": CLOSED, "admin:plans_plancomment_change": READ_ONLY, "admin:plans_plancomment_delete": CLOSED,
    "admin:plans_plancommentreply_add": CLOSED, "admin:plans_plancommentreply_change": READ_ONLY, "admin:plans_plancommentreply_delete": CLOSED,
    "admin:commissioning_priority_add": CLOSED, "admin:commissioning_priority_change": READ_ONLY, "admin:commissioning_priority_delete": CLOSED,
    "admin:commissioning_introduction_add": CLOSED, "admin:commissioning_introduction_change": READ_ONLY, "admin:commissioning_introduction_delete": CLOSED,
    "admin:commissioning_supportreferral_add": CLOSED, "admin:commissioning_supportreferral_change": READ_ONLY, "admin:commissioning_supportreferral_delete": CLOSED,
    "admin:commissioning_contract_add": CLOSED, "admin:commissioning_contract_change": READ_ONLY, "admin:commissioning_contract_delete": CLOSED,
    "admin:scouting_organisation_add": CLOSED, "admin:scouting_organisation_change": READ_ONLY, "admin:scouting_organisation_delete": CLOSED,
    "admin:scouting_person_add": CLOSED, "admin:scouting_person_change": READ_ONLY, "admin:scouting_person_delete": CLOSED,
    "admin:scouting_meeting_add": CLOSED, "admin:scouting_meeting_change": READ_ONLY, "admin:scouting_meeting_delete": CLOSED,
    "admin:scouting_idea_add": CLOSED, "admin:scouting_idea_change": READ_ONLY, "admin:scouting_idea_delete": CLOSED,
    "admin:scouting_followup_add": CLOSED, "admin:scouting_followup_change": READ_ONLY, "admin:scouting_followup_delete": CLOSED,
    # Added on their app's page (its service records it); memberships are given and taken
    # away, never edited in place.
    "admin:commissioning_commissioner_add": CLOSED,
    "admin:accounts_programmemembership_change": READ_ONLY,
    # ... and these may be deleted there (with what hangs off them), never added or changed.
    "admin:funding_fundingapplication_add": CLOSED, "admin:funding_fundingapplication_change": READ_ONLY,
    "admin:outcomes_indicator_add": CLOSED, "admin:outcomes_indicator_change": READ_ONLY,
    "admin:ventures_venturenote_add": CLOSED, "admin:ventures_venturenote_change": READ_ONLY,
    # History written by the pipeline, and the fixed set of site pages: never added there.
    "admin:ventures_stagechange_add": CLOSED, "admin:ventures_fieldchange_add": CLOSED,
    "admin:sitepages_sitepage_add": CLOSED, "admin:sitepages_sitepage_delete": CLOSED,
}
# fmt: on

# The Django admin, by pattern (a new model's pages follow its app's rule). An exact
# name above wins over a pattern; of two patterns, the longer wins.
PATTERN_ROWS: dict[str, Row] = {
    # The admin is the global administrators' (every model of accounts.roles.ADMIN_APPS).
    "admin:*": ADMIN,
    # Apps outside ADMIN_APPS: a superuser's only.
    "admin:outbox_*": CLOSED,
    # A person's authenticator secret is never shown, not even to global administrators
    # (OTP_ADMIN_HIDE_SENSITIVE_DATA); they may delete a lost device.
    "admin:otp_totp_totpdevice_config": CLOSED,
    "admin:otp_totp_totpdevice_qrcode": CLOSED,
    "admin:reminders_*": CLOSED,
    # Sign-in records: never added by hand.
    "admin:axes_*_add": CLOSED,
}


def row_for(name: str) -> Row | None:
    if name in ROWS:
        return ROWS[name]
    matching = [p for p in PATTERN_ROWS if fnmatch.fnmatchcase(name, p)]
    return PATTERN_ROWS[max(matching, key=len)] if matching else None


def spell(identities) -> str:
    """``identities`` in this module's vocabulary, e.g. ``RUNS_A | {MANAGER}``."""
    identities = frozenset(identities)
    if not identities:
        return "NOBODY"
    if identities == EVERYONE:
        return "EVERYONE"
    parts, left = [], set(identities)
    for name, group in GROUPS.items():
        if group <= left:
            parts.append(name)
            left -= group
    if left:
        parts.append("{" + ", ".join(i.upper() for i in IDENTITIES if i in left) + "}")
    return " | ".join(parts)


def row_source(name: str, get, post, on: dict[str, str] | None = None) -> str:
    """The line to add to ROWS for ``name``."""
    where = f", on={on!r}" if on else ""
    return f'    "{name}": Row(get={spell(get)}, post={spell(post)}{where}),'
