#!/bin/sh
# PostgreSQL's image runs this once, on an empty data directory, as the owner (POSTGRES_USER).
# The runtime role logs in and owns nothing; `entrypoint.sh migrate` grants it rows to work with.
set -eu
password="$(cat /run/secrets/runtime_password)"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=password="$password" <<'SQL'
CREATE ROLE umbrella_app LOGIN PASSWORD :'password';
SQL
