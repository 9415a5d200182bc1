#!/usr/bin/env bash
# Regenerates fixtures/ with the simulator: a small network of 3 districts and 1,500
# students, assigned, with a school year of daily attendance and a true 2.4% effect.
# `simulate attendance` records in fixtures/study's manifest the day its arms took effect
# (the first school day) and the SHA-256 of attendance.csv; gzip keeps the contents, which
# is what the record is matched against.
set -euo pipefail
cd "$(dirname "$0")/.."
npm run --silent build
rm -rf fixtures/study fixtures/roster.csv fixtures/attendance.csv.gz fixtures/calendar.csv
pilot() { node dist/cli/main.js "$@"; }
pilot simulate roster --out fixtures --students 1500 --districts 3 --seed 20250801
pilot assign --roster fixtures/roster.csv --out fixtures/study --seed 20250815
pilot simulate attendance --roster fixtures/roster.csv --assignments fixtures/study/assignments.csv --out fixtures --effect 0.024 --year 2025 --seed 20260601
gzip -9 -n -f fixtures/attendance.csv
# Fixtures are examples to read, not private data: readable by everyone.
chmod 644 fixtures/*.csv fixtures/*.gz fixtures/study/*
