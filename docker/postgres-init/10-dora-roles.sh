#!/bin/sh
# Runs once, when the PostgreSQL container initialises an empty volume (as its superuser): the service's
# two roles, neither a superuser (README "Security"). The owner migrates; the service runs as
# dora_runtime, which owns nothing and gets its privileges through dora_service (the migrations grant them).
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$DORA_OWNER_PASSWORD" -v runtime_password="$DORA_PASSWORD" <<'SQL'
CREATE ROLE dora_owner LOGIN CREATEROLE BYPASSRLS PASSWORD :'owner_password';
CREATE ROLE dora_service NOLOGIN;
CREATE ROLE dora_runtime LOGIN BYPASSRLS PASSWORD :'runtime_password' IN ROLE dora_service;
CREATE DATABASE dora OWNER dora_owner;
SQL
