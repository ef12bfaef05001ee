# Ecomap's web app, served by gunicorn. The database is configured at run time through
# ECOMAP_GRAPH and NEO4J_* (see docker-compose.yml); this image sets no graph URL itself.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# A fixed, unprivileged user: files it must write (only the embedded store's data dir) are its own.
RUN groupadd --system --gid 10001 ecomap \
    && useradd --system --uid 10001 --gid ecomap --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin ecomap

WORKDIR /app

COPY pyproject.toml README.md ./
COPY graph/ graph/
COPY web/ web/
COPY seeds/ seeds/
COPY queries/ queries/

# Installed as a package, Ecomap would look for seeds/ and queries/ beside it in site-packages.
ENV ECOMAP_SEEDS_DIR=/app/seeds \
    ECOMAP_QUERIES_DIR=/app/queries

RUN pip install ".[serve]" \
    && mkdir -p /app/data \
    && chown ecomap:ecomap /app/data

USER ecomap

EXPOSE 8000

# No curl in the slim image: ask the health endpoint with the standard library. A 503 raises.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/-/health', timeout=4)"]

CMD ["gunicorn", "--bind", "0.0.0.0:8000", "--workers", "2", "--threads", "4", "--limit-request-line", "65536", "web.app:create_app()"]
