#!/bin/sh
# Deduplication benchmark: for each size, a generated corpus is imported into
# a fresh project, `winnow dedup` is timed (wall, CPU, peak memory by GNU
# time) and its clusters are scored against the generator's truth with
# bench/dedup_eval.py. With --all-pairs N, the same is done at size N with
# every pair compared (no blocking): the baseline blocking must not lose to.
#
# usage: bench/dedup_bench.sh [-w WINNOW] [-d WORKDIR] [--all-pairs N] [SIZES...]
#   defaults: WINNOW=build/winnow, WORKDIR=/tmp/winnow-dedup-bench, SIZES=10000 100000
set -eu

here=$(cd "$(dirname "$0")" && pwd)
winnow=${WINNOW:-$here/../build/winnow}
work=/tmp/winnow-dedup-bench
all_pairs=""
while [ $# -gt 0 ]; do
    case "$1" in
    -w) winnow=$2; shift 2 ;;
    -d) work=$2; shift 2 ;;
    --all-pairs) all_pairs=$2; shift 2 ;;
    *) break ;;
    esac
done
[ $# -gt 0 ] || set -- 10000 100000
gen=$here/../../shared/bench/gen_corpus.py
mkdir -p "$work"

corpus() { # size -> directory with corpus.ris and corpus.truth.tsv
    dir=$work/c$1
    [ -f "$dir/corpus.truth.tsv" ] ||
        nice python3 "$gen" -n "$1" --seed 1 --formats ris --out "$dir" --quiet
    echo "$dir"
}

measure() { # size label extra-dedup-args...
    n=$1; label=$2; shift 2
    dir=$(corpus "$n")
    proj=$work/p$n.winnow
    rm -f "$proj"
    "$winnow" -p "$proj" init >/dev/null
    "$winnow" -p "$proj" import --source Generated "$dir/corpus.ris" >/dev/null
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$winnow" -p "$proj" dedup "$@" >/dev/null
    read -r wall user sys rss <"$work/time"
    "$winnow" -p "$proj" clusters --tsv >"$work/clusters.tsv"
    python3 "$here/dedup_eval.py" "$dir/corpus.truth.tsv" "$work/clusters.tsv" --json \
        >"$work/eval.json"
    python3 - "$n" "$label" "$wall" "$user" "$sys" "$rss" "$work/eval.json" <<'EOF'
import json, sys
n, label, wall, user, sys_, rss, path = sys.argv[1:]
e = json.load(open(path))
print("| %s | %s | %s | %.2f | %d | %.4f | %.4f | %d | %d |" % (
    format(int(n), ","), label, wall, float(user) + float(sys_), int(rss) // 1024,
    e["precision"], e["recall"], e["wrongly_removed"], e["duplicates_missed"]))
EOF
}

echo "| records | method | wall s | CPU s | peak RSS MB | precision | recall | wrongly removed | duplicates missed |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
for n in "$@"; do
    measure "$n" blocking
done
if [ -n "$all_pairs" ]; then
    measure "$all_pairs" blocking
    measure "$all_pairs" all-pairs --all-pairs
fi
