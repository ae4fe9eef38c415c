import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seir.settings.local")
application = get_wsgi_application()

# Each gunicorn worker imports this module: settle its heap before the first request.
from seir.heap import settle  # noqa: E402

settle()
