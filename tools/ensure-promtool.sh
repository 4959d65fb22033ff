#!/usr/bin/env bash
# Debian's promtool (package prometheus), for the tests that check the Prometheus configuration and a real
# scrape of the service. Only the binary is unpacked from the package, into a cache (no Prometheus server
# is installed or started); prints its path. Needs apt (root to fetch it the first time).
set -euo pipefail
[ -x /usr/bin/promtool ] && { echo /usr/bin/promtool; exit 0; }
cache="${DORA_CI_CACHE:-/var/cache/dora-ci}/promtool"
[ -x "${cache}/usr/bin/promtool" ] && { echo "${cache}/usr/bin/promtool"; exit 0; }
if ! command -v apt-get >/dev/null || [ "$(id -u)" != 0 ]; then
  echo "The Prometheus checks need Debian's promtool: sudo apt-get install prometheus" >&2
  exit 1
fi
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
(cd "${work}" && { apt-get download prometheus >&2 || { apt-get update -q >&2 && apt-get download prometheus >&2; }; })
mkdir -p "${cache}"
dpkg-deb -x "${work}"/prometheus_*.deb "${work}/unpacked"
install -D -m 0755 "${work}/unpacked/usr/bin/promtool" "${cache}/usr/bin/promtool"
echo "${cache}/usr/bin/promtool"
