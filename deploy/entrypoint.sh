#!/bin/sh
# The container's entry point (Containerfile). One image, four roles:
#   migrate      as the database owner (UMBRELLA_MIGRATION_DATABASE_URL): migrate, add new reference
#                codes, then grant the runtime role (UMBRELLA_RUNTIME_ROLE) what it needs and no
#                more; run before web/worker, and again at every upgrade
#   web          gunicorn on :8000, connected as the runtime role (DATABASE_URL)
#   worker       the background task worker (mail, screening, statistics), as the runtime role
#   healthcheck  asks /health/live of the web process in this container
# Anything else runs as an `umbrella` command (e.g. `audit verify`, `backup --out DIR`).
set -eu

case "${1:-web}" in
  migrate)
    export DATABASE_URL="${UMBRELLA_MIGRATION_DATABASE_URL:-$DATABASE_URL}"
    umbrella migrate --noinput
    # Adds reference codes never seen before; changes none an administrator edited.
    umbrella seed-reference
    if [ -n "${UMBRELLA_RUNTIME_ROLE:-}" ]; then
      umbrella database-roles grant --runtime-role "$UMBRELLA_RUNTIME_ROLE"
    fi
    ;;
  web)
    # Access logs carry paths only: no page puts personal data in its address.
    exec gunicorn umbrella.wsgi:application --bind "0.0.0.0:${PORT:-8000}" \
      --workers "${UMBRELLA_WEB_WORKERS:-3}" --timeout "${UMBRELLA_WEB_TIMEOUT:-60}" \
      --forwarded-allow-ips "${UMBRELLA_FORWARDED_ALLOW_IPS:-127.0.0.1}" --access-logfile - --error-logfile -
    ;;
  worker)
    exec umbrella db_worker
    ;;
  healthcheck)
    # As the first allowed host, so Django's host check lets the probe in.
    exec python -c "import os, urllib.request as u; host = os.environ.get('UMBRELLA_ALLOWED_HOSTS', 'localhost').split(',')[0]; u.urlopen(u.Request('http://127.0.0.1:${PORT:-8000}/health/live', headers={'Host': host}), timeout=3)"
    ;;
  *)
    exec umbrella "$@"
    ;;
esac
