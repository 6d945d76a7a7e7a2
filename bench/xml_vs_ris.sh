#!/usr/bin/env bash
# PubMed XML import against RIS import of the same generated records.
#
#   bench/xml_vs_ris.sh [RECORDS] [ROUNDS]     (default: 100000 7)
#
# Each round imports the RIS file and then the PubMed XML file, each into a
# fresh project, so both see the same state of a shared machine; the medians
# of the rounds, their ratio and the median of each round's own ratio are
# printed last (goal: XML at most 2 times RIS). Needs python3 and GNU time (apt-get install time). The corpus is made
# by ../shared/bench/gen_corpus.py into $BENCH_DIR (default /tmp/winnow-bench)
# and reused. Not part of the test suite.
set -euo pipefail
. "$(dirname "$0")/common.sh"
records="${1:-100000}"
rounds="${2:-7}"

bench_need_time
bench_need_gen
bench_build
dir="$work/x$records"
mkdir -p "$dir"
if [ ! -f "$dir/corpus.ris" ] || [ ! -f "$dir/corpus.xml" ]; then
  python3 "$gen" -n "$records" --seed 1 --formats ris,xml --out "$dir" >/dev/null 2>&1 ||
    { echo "bench: $gen failed"; exit 1; }
fi

# wall s, CPU s and peak KiB of importing one file into a fresh project
import_once() {
  rm -f "$work/x.winnow" "$work/x.winnow-wal" "$work/x.winnow-shm" "$work/x.winnow-journal"
  "$winnow" init "$work/x.winnow" >/dev/null
  /usr/bin/time -f "%e %U %S %M" -o "$work/x.time" \
    "$winnow" -p "$work/x.winnow" import "$1" --source Bench --quiet >/dev/null
  awk '{printf "%s %.2f %d\n", $1, $2 + $3, $4}' "$work/x.time"
}

printf "| round | RIS wall s | RIS CPU s | XML wall s | XML CPU s | XML / RIS |\n"
printf "|---:|---:|---:|---:|---:|---:|\n"
: >"$work/x.rounds"
for r in $(seq "$rounds"); do
  read -r rw rc rk < <(import_once "$dir/corpus.ris")
  read -r xw xc xk < <(import_once "$dir/corpus.xml")
  echo "$rw $xw" >>"$work/x.rounds"
  printf "| %s | %s | %s | %s | %s | %s |\n" "$r" "$rw" "$rc" "$xw" "$xc" \
    "$(python3 -c "print(f'{$xw/$rw:.2f}')")"
done
python3 - "$work/x.rounds" "$rk" "$xk" <<'EOF'
import statistics, sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[1]) if l.strip()]
ris = statistics.median(r for r, _ in rows)
xml = statistics.median(x for _, x in rows)
paired = statistics.median(x / r for r, x in rows)
print(f"\nmedian wall: RIS {ris:.2f} s, PubMed XML {xml:.2f} s, ratio {xml / ris:.2f}"
      f" (peak RSS {int(sys.argv[2]) // 1024} / {int(sys.argv[3]) // 1024} MB)")
print(f"median of the rounds' own ratios: {paired:.2f}")
EOF
