#!/bin/sh
# A whole review at scale, stage by stage, through the commands a user types:
# import of six database exports, dedup, criteria rules, allocation of two
# reviewers per unit, their decisions as filled sheets, conflicts resolved,
# full texts (some not retrieved, some reports of one study), full-text
# sheets, then the PRISMA flow, its CSV and SVG, and `audit verify`.
# Prints one Markdown table row per step (wall seconds, peak RSS).
#
#   bench/prisma_e2e.sh [-w WINNOW] [-d WORKDIR] [N]     (default N 1000000)
#
# The corpus comes from ../shared/bench/gen_corpus.py (--split-by-db, seed 1)
# and is kept in WORKDIR between runs. Decisions are scripted from the unit
# ids, so the counts are the same on every run. Needs python3 and GNU time.
# Not part of the test suite.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
winnow=$here/../build/winnow
work=/tmp/winnow-e2e-bench
while [ $# -gt 0 ]; do
    case "$1" in
    -w) winnow=$2; shift 2 ;;
    -d) work=$2; shift 2 ;;
    *) break ;;
    esac
done
n=${1:-1000000}
gen=${GEN_CORPUS:-$here/../../shared/bench/gen_corpus.py}
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)" >&2; exit 1; }
mkdir -p "$work"
corpus=$work/c$n
if [ ! -f "$corpus/corpus.summary.json" ]; then
    nice python3 "$gen" -n "$n" --seed 1 --formats ris --split-by-db --out "$corpus" --quiet
fi
proj=$work/e2e$n.winnow
sheets=$work/sheets$n
rm -f "$proj" "$proj-wal" "$proj-shm"
rm -rf "$sheets"
mkdir -p "$sheets"
export WINNOW_PROJECT="$proj"

# step LABEL COMMAND...: runs it, prints its row, keeps its output in $work/out
step() {
    label=$1
    shift
    /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>"$work/err" || {
        echo "bench: '$label' failed:" >&2
        cat "$work/err" >&2
        exit 1
    }
    read -r wall rss <"$work/time"
    printf '| %s | %s | %s |\n' "$label" "$wall" "$((rss / 1024))"
}

# fill SHEET OUT STAGE WHO: a reviewer's scripted decisions (see below)
fill() {
    python3 - "$@" <<'EOF'
import csv, sys
src, dst, stage, who = sys.argv[1:]
with open(src, newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
head = rows[1]
col = {name: i for i, name in enumerate(head)}
ta_reasons = ["Wrong population", "Wrong intervention", "Wrong outcome"]
ft_reasons = ["Wrong study design", "No usable outcome data"]
disagreements = 0
for row in rows[2:]:
    uid = int(row[col["id"]])
    if stage == "ta":
        include = uid % 10 == 0
        # the second reviewer disagrees on the first ten of a kind
        if who == "r2" and uid % 10 == 5 and disagreements < 10:
            include, disagreements = True, disagreements + 1
        row[col["decision"]] = "include" if include else "exclude"
        row[col["reason"]] = "" if include else ta_reasons[uid % 3]
    else:
        include = uid % 7 != 0
        row[col["decision"]] = "include" if include else "exclude"
        row[col["reason"]] = "" if include else ft_reasons[uid % 2]
with open(dst, "w", newline="", encoding="utf-8") as f:
    csv.writer(f, lineterminator="\r\n").writerows(rows)
EOF
}

cat >"$work/criteria.rules" <<'EOF'
require published "Published before 2000 or after 2023" when year 2000-2023
exclude protocol "Study protocol" when title ~ /\bprotocol\b/i
exclude erratum "Erratum or correction" as other when title ~ /^(erratum|correction)\b/i
EOF

echo "| step | wall s | peak RSS MB |"
echo "|---|---:|---:|"
step "init" "$winnow" init "$proj" --title "End-to-end benchmark ($n synthetic records)"
for db in pubmed embase scopus wos cinahl psycinfo; do
    step "import $db" "$winnow" import "$corpus/corpus.$db.ris" --source "$db" \
        --kind database --searched-on 2024-01-15
done
step "dedup" "$winnow" dedup
step "filter (3 rules)" "$winnow" filter "$work/criteria.rules"
"$winnow" reviewer add r1 "Reviewer One" >/dev/null
"$winnow" reviewer add r2 "Reviewer Two" >/dev/null
step "assign ta, 2 per unit" "$winnow" assign --stage ta --reviewers r1,r2 --per-record 2 --seed 1
for who in r1 r2; do
    step "sheet export ta $who" "$winnow" sheet export --stage ta --reviewer "$who" \
        -o "$sheets/$who-ta.csv"
    fill "$sheets/$who-ta.csv" "$sheets/$who-ta-filled.csv" ta "$who"
    step "sheet import ta $who" "$winnow" sheet import "$sheets/$who-ta-filled.csv"
done
step "conflicts ta" "$winnow" conflicts --stage ta --json
python3 -c '
import json, sys
for u in json.load(open(sys.argv[1]))["units"]:
    if u["state"] == "conflict":
        print(int(u["unit"]))' "$work/out" >"$work/conflicts"
first=1
for id in $(cat "$work/conflicts"); do
    if [ $first = 1 ]; then
        step "resolve ta (one unit)" "$winnow" resolve --stage ta "$id" exclude --by r1 \
            --reason "Wrong population"
        first=0
    else
        "$winnow" resolve --stage ta "$id" exclude --by r1 --reason "Wrong population" >/dev/null
    fi
done
step "assign ft (reports sought), 1 per report" "$winnow" assign --stage ft --reviewers r1,r2 \
    --per-record 1 --seed 1
# the first ten reports could not be had; the next ten are second reports of
# the study before them
for id in 1 2 3 4 5 6 7 8 9 10; do
    "$winnow" fulltext not-retrieved "$id" --reason "Not available from the library" >/dev/null
done
for id in 12 14 16 18 20; do
    "$winnow" fulltext link "$id" --study $((id - 1)) >/dev/null
done
for who in r1 r2; do
    step "sheet export ft $who" "$winnow" sheet export --stage ft --reviewer "$who" \
        -o "$sheets/$who-ft.csv"
    fill "$sheets/$who-ft.csv" "$sheets/$who-ft-filled.csv" ft "$who"
    step "sheet import ft $who" "$winnow" sheet import "$sheets/$who-ft-filled.csv"
done
step "prisma (first count after the last change)" "$winnow" prisma
cp "$work/out" "$work/prisma$n.txt"
step "prisma (ledger unchanged)" "$winnow" prisma
step "prisma --recompute" "$winnow" prisma --recompute
step "prisma --csv" "$winnow" prisma --csv -o "$work/PRISMA$n.csv"
step "prisma --svg" "$winnow" prisma --svg -o "$work/flow$n.svg"
step "audit verify" "$winnow" audit verify
echo
cat "$work/prisma$n.txt"
ls -l "$proj" | awk '{printf "project file: %.0f MB\n", $5 / 1048576}'
