#!/usr/bin/env bash
# Import benchmark: winnow's RIS import against sqlite3's own CSV .import of
# the same records, at 10k, 100k and 1M records, with peak memory.
#
#   bench/import_bench.sh [SIZES...]        (default: 10000 100000 1000000)
#
# Needs python3, sqlite3 and GNU time (apt-get install sqlite3 time). Corpora
# are made by ../shared/bench/gen_corpus.py into $BENCH_DIR (default
# /tmp/winnow-bench) and reused between runs. Not part of the test suite.
set -euo pipefail
. "$(dirname "$0")/common.sh"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(10000 100000 1000000)

command -v sqlite3 >/dev/null || { echo "bench: needs sqlite3 (apt-get install sqlite3)"; exit 1; }
bench_need_time
bench_need_gen
bench_build
mkdir -p "$work"

# seconds and peak KiB of one command, from GNU time
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.out" "$@" >/dev/null
  cat "$work/time.out"
}

printf "| records | RIS MB | wc -l s | sqlite3 .import CSV s | winnow import s | winnow MB/s | winnow peak RSS MB | RSS - input MB |\n"
printf "|---:|---:|---:|---:|---:|---:|---:|---:|\n"
for n in "${sizes[@]}"; do
  dir="$work/c$n"
  if [ ! -f "$dir/corpus.ris" ] || [ ! -f "$dir/corpus.csv" ]; then
    python3 "$gen" -n "$n" --seed 1 --formats ris,csv --out "$dir" >/dev/null
  fi
  ris="$dir/corpus.ris"
  bytes=$(stat -c %s "$ris")
  sync
  read -r wc_s _ < <(measure wc -l "$ris")
  rm -f "$work/sq.db"
  read -r sq_s _ < <(measure sqlite3 "$work/sq.db" ".mode csv" ".import $dir/corpus.csv records")
  rm -f "$work/b.winnow" "$work/b.winnow-wal" "$work/b.winnow-shm"
  "$winnow" init "$work/b.winnow" >/dev/null
  read -r w_s w_kb < <(measure "$winnow" -p "$work/b.winnow" import "$ris" --source Bench --quiet)
  mbps=$(python3 -c "print(f'{$bytes/1e6/max($w_s,0.01):.0f}')")
  printf "| %s | %.0f | %s | %s | %s | %s | %.0f | %.0f |\n" "$n" \
    "$(python3 -c "print($bytes/1e6)")" "$wc_s" "$sq_s" "$w_s" "$mbps" \
    "$(python3 -c "print($w_kb/1024)")" "$(python3 -c "print($w_kb/1024 - $bytes/1048576)")"
done
