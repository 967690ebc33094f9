# syntax=docker/dockerfile:1
# Multi-stage: build the web UI, install the package, run as a non-root user.
# The container migrates both databases, then starts uvicorn. Configure it with CHALLENGE_*
# variables; in production CHALLENGE_KEYS (or a mounted CHALLENGE_KEY_FILE) and both database
# URLs are required, and the service refuses to start without them.

FROM node:20-bookworm-slim AS ui
WORKDIR /build/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    CHALLENGE_ENV=production CHALLENGE_UI_DIST=/srv/app/frontend/dist
# DejaVu Sans: the PDFs of lessons print French and Spanish text and the quiz's ☐ with it
# (app/kit/pdf.py falls back to the fonts inside ReportLab without it).
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system app && useradd --system --gid app --home-dir /srv/app --shell /usr/sbin/nologin app
WORKDIR /srv/app
COPY pyproject.toml README.md ./
COPY app/ app/
COPY migrations/ migrations/
# Editable, so the package and its migrations/ folder stay side by side in /srv/app.
RUN pip install --no-cache-dir -e . && mkdir -p var && chown app:app var
COPY --from=ui /build/frontend/dist frontend/dist
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/api/v1/health').status != 200)"
CMD ["sh", "-c", "python -m app migrate && exec uvicorn app.main:create_app --factory --host 0.0.0.0 --port 8000 --workers ${WEB_CONCURRENCY:-2} --proxy-headers --no-access-log"]
