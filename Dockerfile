# Casework production image: gunicorn + WhiteNoise, Celery worker and beat share it.
# Build: docker compose build   (docker-compose.yml runs web, worker and beat from it)

FROM python:3.12-slim-bookworm AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=casework.settings \
    DATA_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles

# WeasyPrint's system libraries (harfbuzz-subset keeps PDF rendering fast). Letters use
# the fonts shipped under static/fonts; DejaVu is only the fallback.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        libfontconfig1 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. The project itself is not
# an installable package ([tool.setuptools] packages = []): this installs only its deps.
COPY pyproject.toml README.md ./
RUN pip install --no-cache-dir . \
    && rm -rf build *.egg-info


# Build stage: compile translations and collect static files (hashed, compressed).
FROM base AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
COPY . .
# A throwaway key: production refuses a sample one, and nothing signed here is kept.
RUN export SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    && python manage.py compilemessages --ignore=node_modules \
    && python manage.py collectstatic --noinput


FROM base
RUN groupadd --system --gid 1000 casework \
    && useradd --system --uid 1000 --gid casework --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin casework
COPY --from=build --chown=casework:casework /app /app
# /app/var holds uploads: the named volume mounted there inherits this owner.
RUN mkdir -p /app/var/uploads && chown -R casework:casework /app/var

USER casework
EXPOSE 8000
# casework/gunicorn.py: bind, workers, an access log without query strings or feed tokens,
# and no Server header.
CMD ["gunicorn", "-c", "python:casework.gunicorn", "casework.wsgi:application"]
