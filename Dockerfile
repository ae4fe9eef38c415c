# Production image: gunicorn serves the app (WhiteNoise serves static files); the same
# image runs the Celery worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=seir.settings.production \
    SEIR_VAR_DIR=/app/var

WORKDIR /app

# libmagic1: uploads are checked by content (python-magic). WeasyPrint (business plan
# PDFs) needs Pango, HarfBuzz and fontconfig, and a font; the same lists as
# scripts/setup-system.sh's run group.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libmagic1 \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 \
        fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .

# Static files are collected into the image. Production settings insist on SECRET_KEY
# and ALLOWED_HOSTS, so placeholders are given for this build step only.
RUN SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost \
        python manage.py collectstatic --noinput --verbosity 0 \
    && useradd --system --uid 10001 --home-dir /app seir \
    && mkdir -p /app/var/mail /app/var/media \
    && chown -R seir /app/var

USER seir
EXPOSE 8000

CMD ["gunicorn", "seir.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
