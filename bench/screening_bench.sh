#!/bin/sh
# Times a scripted team-screening run: N units (default 500,000) screened by
# two reviewers each, so 2N decisions arrive as two sheets (one transaction
# each), then status, conflicts and agreement over them.
#   bench/screening_bench.sh [N] [WINNOW] [WORKDIR]
set -eu
N=${1:-500000}
W=${2:-build/winnow}
DIR=${3:-$(mktemp -d)}
cd "$DIR"
rm -f bench.winnow*
python3 - "$N" <<'PY'
import sys
n = int(sys.argv[1])
with open("units.ris", "w") as f:
    for i in range(1, n + 1):
        f.write("TY  - JOUR\nTI  - Screening benchmark record %d\nPY  - 2020\n"
                "AB  - Abstract of record %d.\nER  - \n\n" % (i, i))
PY
t() { /usr/bin/time -f "%e s  %M KB  $*" "$@" > /dev/null; }
"$W" init bench.winnow > /dev/null
export WINNOW_PROJECT=bench.winnow
t "$W" import units.ris --source Bench
"$W" reviewer add alice Alice > /dev/null
"$W" reviewer add bob Bob > /dev/null
t "$W" assign --stage ta --reviewers alice,bob --per-record 2 --seed 7
t "$W" sheet export --stage ta --reviewer alice -o alice.csv
"$W" sheet export --stage ta --reviewer bob -o bob.csv 2> /dev/null
# Fill the sheets: alice includes every unit, bob excludes every tenth.
python3 - <<'PY'
import csv
for who in ("alice", "bob"):
    with open(who + ".csv", newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    for row in rows[2:]:
        exclude = who == "bob" and int(row[0]) % 10 == 0
        row[7] = "exclude" if exclude else "include"
    with open(who + "-filled.csv", "w", newline="", encoding="utf-8-sig") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
PY
t "$W" sheet import alice-filled.csv
t "$W" sheet import bob-filled.csv
t "$W" status
t "$W" conflicts --stage ta --json
t "$W" agreement --stage ta
"$W" status --stage ta
ls -la bench.winnow
