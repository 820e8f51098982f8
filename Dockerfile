# sunoql image: a build stage installs the package into a venv; the final stage carries only that venv
# and the chat templates, and runs as a non-root user. .ci/docker-steps.sh runs the same install and
# start commands outside Docker on every CI run.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
# .dockerignore lets in only what `pip install .` needs (pyproject, README, app.py, the packages).
COPY . .
# GraphiQL's browser assets come from the npm registry, checksum-pinned, into the installed package's
# .vendor/ (-P: import the installed `ops` and `schema`, not the copies in /src).
RUN python -m venv /opt/sunoql \
    && /opt/sunoql/bin/pip install . \
    && /opt/sunoql/bin/python -P -m ops.graphiql_assets fetch \
    && /opt/sunoql/bin/pip uninstall --yes pip

FROM python:3.11-slim
RUN groupadd --system --gid 10001 sunoql \
    && useradd --system --uid 10001 --gid sunoql --home-dir /data --shell /usr/sbin/nologin sunoql \
    && mkdir -p /data /logs /templates \
    && chown sunoql:sunoql /data /logs
COPY --from=build /opt/sunoql /opt/sunoql
COPY --chown=sunoql:sunoql templates /templates
# The original project's paths: the database in the data volume, logs in /logs, templates in /templates.
ENV PATH=/opt/sunoql/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    SQLITE_PATH=/data/api.db \
    LOG_DIR=/logs \
    CHAT_TEMPLATE_DIR=/templates
USER 10001:10001
WORKDIR /data
VOLUME ["/data", "/logs", "/templates"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)"]
# `serve` applies pending migrations before it listens (`sunoql migrate` does only that).
# SIGTERM (docker stop) drains: watches end, in-flight requests finish, the worker stops between ticks.
STOPSIGNAL SIGTERM
CMD ["sunoql", "serve"]
