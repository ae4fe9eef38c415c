import os
import sqlite3

from celery import Celery
from celery.schedules import crontab
from kombu.transport import sqlalchemy as kombu_sqla
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy.engine import Engine

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seir.settings.local")

# The serverless SQLite broker polls an empty queue once a second by default; 0.1 s
# keeps round trips under ~100 ms. Passing polling_interval as a transport option
# crashes the worker (kombu hands it to create_engine), so set it on the class.
kombu_sqla.Transport.polling_interval = 0.1


@sqlalchemy_event.listens_for(Engine, "connect")
def _sqlite_broker_pragmas(dbapi_connection, connection_record) -> None:
    """The serverless broker's and result backend's SQLite files (the only SQLAlchemy
    engines here): write-ahead log and no fsync per commit, or every task a page sends
    waits ~30 ms for the disk. A message lost to a power cut is harmless: the outbox keeps
    the work and its drain sends it again."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")  # persistent: switched once per file
        cursor.execute("PRAGMA synchronous=NORMAL")
    except sqlite3.OperationalError:  # another process holds the file; try next connect
        pass
    finally:
        cursor.close()


app = Celery("seir")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# files is a plain package, not an installed app: name it so its housekeeping task loads.
app.autodiscover_tasks(["files"])

# The beat schedule lives here, in version control. Times are Europe/London.
app.conf.beat_schedule = {
    # Every hour at :15 — drop finished messages the SQLite broker never deletes.
    "purge-consumed-broker-messages": {
        "task": "accounts.tasks.purge_consumed_broker_messages",
        "schedule": crontab(minute=15),
    },
    # Every day at 02:15 — one backup archive (database, uploads, manifest); only the
    # newest SEIR_BACKUP_KEEP are kept. Before the night's housekeeping changes anything.
    "nightly-backup": {
        "task": "backups.tasks.backup_nightly",
        "schedule": crontab(hour=2, minute=15),
    },
    # Every day at 03:30 — remove expired sessions.
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=30),
    },
    # Every day at 02:45 — accepted checklist evidence past its expiry date (insurance,
    # registrations) becomes expired, so the item shows up for renewal.
    "expire-checklist-items": {
        "task": "checklists.tasks.expire_checklist_items",
        "schedule": crontab(hour=2, minute=45),
    },
    # On the 1st of every month at 06:00 — each programme within its period gets its
    # monthly target report (its managers get one email when it is ready).
    "monthly-target-reports": {
        "task": "progress.tasks.report_generate_monthly",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
    # Every day at 06:30 — a programme whose period has just ended gets its end-of-period
    # target report, once (a missed day is caught up within a month).
    "period-end-target-reports": {
        "task": "progress.tasks.report_generate_period_end",
        "schedule": crontab(hour=6, minute=30),
    },
    # Every minute — send again the outbox's work still undelivered when it should have
    # been: the broker was down, a worker died mid-task, or a failed run's backoff passed.
    "outbox-drain": {
        "task": "outbox.drain",
        "schedule": crontab(),
    },
    # Every day at 03:40 — one-time form tokens past their keeping period.
    "remove-expired-submission-tokens": {
        "task": "submissions.tasks.remove_expired_submission_tokens",
        "schedule": crontab(hour=3, minute=40),
    },
    # Every day at 03:50 — uploaded files whose row was never committed (the transaction
    # rolled back after the file was stored), once past their grace period.
    "remove-orphaned-uploads": {
        "task": "files.tasks.remove_orphaned_uploads",
        "schedule": crontab(hour=3, minute=50),
    },
    # Every day at 07:00 — reminders of what is overdue or falls due soon (one email per
    # person listing everything; each reminder sent once, under its unique key).
    "send-reminders": {
        "task": "reminders.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Every Monday at 07:30 — each PCT manager's digest of the week just ended.
    "send-manager-digests": {
        "task": "reminders.tasks.send_manager_digests",
        "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
    },
    # Every day at 07:15 — each person's daily digest of the notifications they chose to
    # hear of once a day (one email a day at most).
    "send-daily-digest": {
        "task": "inbox.send_daily_digest",
        "schedule": crontab(hour=7, minute=15),
    },
}
