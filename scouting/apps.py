from django.apps import AppConfig

# code, label, visibility. Contact details never go into event data; the meeting and the
# promotion events carry ``venture=`` so they show in the venture's timeline.
EVENT_KINDS = [
    ("organisation_added", "Organisation added", "staff"),
    ("organisation_changed", "Organisation changed", "staff"),
    ("organisation_merged", "Organisations merged", "staff"),
    ("person_added", "Person added", "staff"),
    ("person_changed", "Person changed", "staff"),
    ("person_merged", "People merged", "staff"),
    ("person_exported", "Person's data exported", "staff"),
    ("person_erased", "Person's data erased", "staff"),
    ("duplicate_dismissed", "Possible duplicates marked as different", "staff"),
    ("directory_imported", "Directory imported from CSV", "staff"),
    ("meeting_logged", "Scouting meeting logged", "staff"),
    ("meeting_in_venture", "Scouting meeting", "team"),
    ("followup_added", "Follow-up added", "staff"),
    ("followup_done", "Follow-up done", "staff"),
    ("followup_reopened", "Follow-up reopened", "staff"),
    ("idea_added", "Idea added", "staff"),
    ("idea_changed", "Idea changed", "staff"),
    ("idea_status_changed", "Idea status changed", "staff"),
    ("idea_promoted", "Idea promoted to a venture", "team"),
]


class ScoutingConfig(AppConfig):
    name = "scouting"
    verbose_name = "Scouting"

    def ready(self):
        from events.registry import EventKind, register_kinds

        register_kinds(
            *(
                EventKind(
                    code=f"scouting.{code}",
                    label=label,
                    template=f"scouting/events/{code}.html",
                    visibility=visibility,
                )
                for code, label, visibility in EVENT_KINDS
            )
        )
