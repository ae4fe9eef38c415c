"""Summary rows of scouting, kept by every write in the same transaction
(``scouting.tallies``): what the dashboard and the scouting start page count, read
without going over every meeting.

A row's ``sector`` is blank for the meetings (or an idea's source meetings) themselves,
and a sector's code for those at which an organisation of that sector was represented:
a meeting counts once in "all" and once in each sector it had, as the figures define it.
Days are local calendar days (``TIME_ZONE``) of ``Meeting.held_at``, so any period of
whole days is a sum over rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from accounts.models import Programme

EVERY_MEETING = ""  # a row's ``sector`` for every meeting of its key, whatever the sector
ANY_TYPE = ""  # a sector's row's ``meeting_type``: its meetings of every type


class MeetingTally(models.Model):
    """How many meetings a programme held on a day, by who logged them and their type
    (``sector`` is ``EVERY_MEETING``), or by who logged them and a sector represented at
    them, whatever their type (``meeting_type`` is ``ANY_TYPE``)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    meeting_type = models.CharField(max_length=20)
    sector = models.CharField(max_length=20, blank=True)
    meetings = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["programme", "day"], name="scout_tally_prog_day")]

    def __str__(self):
        return f"{self.day}: {self.meetings} {self.meeting_type} {self.sector or 'meetings'}"


class IdeaSource(models.Model):
    """An idea's source meetings reduced to what the funnel asks of them: one row per
    idea and (day, who logged the meeting, sector or ``EVERY_MEETING``).

    So that a funnel counts distinct ideas without sorting them, or joining the ideas
    and their ventures, a row also holds:

    - ``prev_day``: the day of the row before it among the idea's rows of its sector, in
      order of day (ties in any fixed order); empty for the first. Of an idea's rows of a
      sector within any run of days, exactly one has no ``prev_day`` or one before the
      run's first day: count those rows, and each idea counts once. ``prev_day_by_seir``
      is the same among the rows of one ``logged_by`` (a funnel narrowed to one SEiR);
    - the idea's venture, and that venture's programme, SEiR and ``target_reached_at``,
      kept by every write of them (``scouting.tallies``)."""

    idea = models.ForeignKey("scouting.Idea", on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sector = models.CharField(max_length=20, blank=True)
    prev_day = models.DateField(null=True)
    prev_day_by_seir = models.DateField(null=True)
    venture = models.ForeignKey(
        "ventures.Venture", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    venture_programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, null=True, related_name="+", db_index=False
    )
    venture_seir = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        db_index=False,
    )
    venture_target_reached_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["programme", "day"], name="scout_ideasrc_prog_day")]

    def __str__(self):
        return f"Idea {self.idea_id} on {self.day} ({self.sector or 'any sector'})"
