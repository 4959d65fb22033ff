#!/bin/sh
# The entrypoint of the profile's Prometheus: the config with the org's slug, the tokens as files only
# Prometheus reads (never in its config or its command line), then Prometheus itself.
set -eu
case "${DORA_METRICS_ORG}" in
  *[!a-z0-9-]* | '') echo "DORA_METRICS_ORG must be an org's slug" >&2; exit 1 ;;
esac
umask 077
mkdir -p /prometheus/secrets
printf '%s' "${METRICS_TOKEN}" > /prometheus/secrets/metrics_token
printf '%s' "${DORA_METRICS_TOKEN}" > /prometheus/secrets/dora_read_token
sed "s/__DORA_METRICS_ORG__/${DORA_METRICS_ORG}/g" /etc/dora/prometheus.yml > /prometheus/prometheus.yml
exec /bin/prometheus --config.file=/prometheus/prometheus.yml --storage.tsdb.path=/prometheus --storage.tsdb.retention.time=400d
