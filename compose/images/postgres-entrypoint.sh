#!/bin/sh
# First start: initdb with POSTGRES_USER/POSTGRES_PASSWORD and create POSTGRES_DB, on a server
# that listens on no TCP port and no default socket (so health checks do not see it as ready).
# Then run postgres as the postgres user, stopped by SIGINT when the container gets SIGTERM.
set -eu
: "${POSTGRES_USER:=postgres}" "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
mkdir -p "$PGDATA" /var/run/postgresql
chown postgres:postgres "$PGDATA" /var/run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  pwfile="$(mktemp)"; printf '%s' "$POSTGRES_PASSWORD" >"$pwfile"; chown postgres "$pwfile"
  as_postgres initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pwfile"
  echo "host all all all scram-sha-256" >>"$PGDATA/pg_hba.conf"
  init_socket="$(mktemp -d)"; chown postgres "$init_socket"
  as_postgres pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -k $init_socket" start >/dev/null
  if [ "$POSTGRES_DB" != postgres ]; then
    as_postgres psql -h "$init_socket" -U "$POSTGRES_USER" -d postgres -q \
      -c "CREATE DATABASE \"$POSTGRES_DB\""
  fi
  as_postgres pg_ctl -D "$PGDATA" -w stop >/dev/null
  rmdir "$init_socket"
fi
# Docker stops a container with SIGTERM, a "smart" shutdown that waits for every client to leave;
# like the official image (STOPSIGNAL SIGINT, which `docker import` cannot set), the server gets
# SIGINT, a fast shutdown that still writes a checkpoint.
setpriv --reuid=postgres --regid=postgres --init-groups \
  postgres -D "$PGDATA" -c listen_addresses='*' "$@" &
server=$!
trap 'kill -INT "$server" 2>/dev/null' TERM INT
status=0
wait "$server" || status=$?
while kill -0 "$server" 2>/dev/null; do  # the trap interrupted the wait: wait for the exit
  status=0
  wait "$server" || status=$?
done
exit "$status"
