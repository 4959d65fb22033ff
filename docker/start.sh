#!/bin/sh
# What the image runs, and what the test suite runs against real PostgreSQL: the built server, which
# validates its configuration, migrates the database (exiting non-zero with the reason when it cannot
# reach it or a migration fails), serves, and stops cleanly on SIGTERM.
set -eu
cd "$(dirname "$0")/.."
exec node --enable-source-maps apps/api/dist/main.js
