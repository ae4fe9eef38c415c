import os

from celery import Celery
from celery.schedules import crontab
from kombu.transport import sqlalchemy as kombu_sqla

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seir.settings.local")

# The serverless SQLite broker polls an empty queue once a second by default; 0.1 s
# keeps round trips under ~100 ms. Passing polling_interval as a transport option
# crashes the worker (kombu hands it to create_engine), so set it on the class.
kombu_sqla.Transport.polling_interval = 0.1

app = Celery("seir")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The beat schedule lives here, in version control. Times are Europe/London.
app.conf.beat_schedule = {
    # Every hour at :15 — drop finished messages the SQLite broker never deletes.
    "purge-consumed-broker-messages": {
        "task": "accounts.tasks.purge_consumed_broker_messages",
        "schedule": crontab(minute=15),
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
}
