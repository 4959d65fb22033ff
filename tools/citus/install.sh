#!/usr/bin/env bash
# Installs Citus into the machine's PostgreSQL 15 from the vendored source archive (../shared/vendor/citus,
# beside the checkout), for CI's Citus stage. The build is cached outside the clone, keyed by the
# archive's sha256 and PostgreSQL's minor version: only the first run builds (about 4 minutes on 2 cores).
# Needs root (apt and the PostgreSQL directories). Exit 2: no vendored archive here (a user's clone).
set -euo pipefail
cd "$(dirname "$0")/../.."

archive="$(realpath -m ../shared/vendor/citus/citus-13.2.2.tar.gz)"
if [ ! -f "${archive}" ]; then
  echo "no Citus source at ${archive}"
  exit 2
fi
pg_version="$(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}')"
key="$(sha256sum "${archive}" | cut -c1-16)-pg${pg_version}"
cache="${DORA_CI_CACHE:-/var/cache/dora-ci}/citus/${key}"

if [ ! -f "${cache}/done" ]; then
  echo "building Citus (${key}) into ${cache}"
  apt-get -qq update
  DEBIAN_FRONTEND=noninteractive apt-get -qq install -y postgresql-server-dev-15 liblz4-dev libzstd-dev libkrb5-dev \
    libselinux1-dev libpam0g-dev flex bison autoconf make gcc >/dev/null
  build="$(mktemp -d)"
  tar xzf "${archive}" -C "${build}"
  cd "${build}"/citus-*
  # PostgreSQL 15.20 and later declare have_createdb_privilege() themselves (see the vendor README).
  if grep -q have_createdb_privilege /usr/include/postgresql/15/server/commands/dbcommands.h; then
    perl -0pi -e 's/static inline bool\s+have_createdb_privilege\(void\)\s*\{.*?\n\}/#include "commands\/dbcommands.h"/s' src/include/pg_version_compat.h
  fi
  # Without libcurl: its only use is Citus's anonymous statistics, which nothing here may send.
  ./configure --without-libcurl >/dev/null
  make -s -j2 >/dev/null
  rm -rf "${cache}" && mkdir -p "${cache}/root"
  make -s install DESTDIR="${cache}/root" >/dev/null
  cd / && rm -rf "${build}"
  touch "${cache}/done"
fi
cp -a "${cache}/root/." /
echo "Citus installed from ${cache}"
