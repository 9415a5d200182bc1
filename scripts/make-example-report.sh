#!/usr/bin/env bash
# Regenerates reports/example/: the network report with one report per district and the
# PDFs, from the shipped fixtures (fixtures/README.md) over the school year after
# assignment, with a fixed seed and the full default fit (4 chains x 1000 + 1000).
# Aggregates only: no draws.csv, no analysis.json with unsuppressed counts.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC

npm run --silent build
rm -rf reports/example
node dist/cli/main.js report \
  --roster fixtures/roster.csv \
  --assignments fixtures/study/assignments.csv \
  --attendance fixtures/attendance.csv.gz \
  --calendar fixtures/calendar.csv \
  --from 2025-08-18 --to 2026-05-29 \
  --seed 2 \
  --by district --pdf \
  --out reports/example
node scripts/screenshot-reports.mjs reports/example  # the page of screenshots a reviewer looks at
