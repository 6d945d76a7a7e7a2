#!/usr/bin/env bash
# Screening view benchmark: a project of N generated records (one RIS
# import, no deduplication) all assigned to one reviewer at ta, half of them
# already decided. Times the queue load for each --order (the command run
# without a terminal loads the queue, then stops with "needs a terminal"),
# then drives the real view in a pseudo-terminal: time to the first frame
# and from a decision key to the next unit's complete frame.
#
#   bench/screen_bench.sh [N [KEYS]]     (default: 20000 200)
#
# Needs python3, sqlite3 and GNU time, and a built winnow: WINNOW names it
# (default build-bench/winnow; make it with cmake -S . -B build-bench
# -DCMAKE_BUILD_TYPE=Release and --target winnow_cli). Corpora come from
# ../shared/bench/gen_corpus.py (GEN_CORPUS). Not part of the test suite.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-20000}" keys="${2:-200}"
winnow="${WINNOW:-$root/build-bench/winnow}"
gen="${GEN_CORPUS:-$root/../shared/bench/gen_corpus.py}"
work="${BENCH_DIR:-/tmp/winnow-bench}/screen"
for need in python3 sqlite3 /usr/bin/time "$winnow"; do
  command -v "$need" >/dev/null || { echo "bench: needs $need"; exit 1; }
done
rm -rf "$work" && mkdir -p "$work" && cd "$work"

python3 "$gen" -n "$n" --seed 7 --formats ris --out . >/dev/null 2>&1
"$winnow" init big.winnow >/dev/null
"$winnow" -p big.winnow import corpus.ris --source Generated >/dev/null
"$winnow" -p big.winnow reviewer add alice Alice >/dev/null
"$winnow" -p big.winnow assign --stage ta --reviewers alice --per-record 1 >/dev/null
# Half decided (straight into the table: only the queue's reading is timed).
sqlite3 big.winnow "INSERT INTO decision(stage, unit_id, reviewer, decision, at)
  SELECT 'ta', unit_id, 'alice', 'include', '2026-01-01' FROM assignment
  WHERE stage = 'ta' AND reviewer = 'alice' AND unit_id % 2 = 0"

for order in assigned random oldest-first; do
  for run in 1 2 3; do
    /usr/bin/time -f "queue load, --order $order: %e s, peak RSS %M KB" \
      "$winnow" -p big.winnow screen --stage ta --reviewer alice --order "$order" \
      </dev/null 2>&1 >/dev/null | grep '^queue' || true
  done
done

python3 - "$winnow" big.winnow "$keys" <<'PY'
import fcntl, os, pty, select, statistics, struct, sys, termios, time
winnow, project, keys = sys.argv[1], sys.argv[2], int(sys.argv[3])
start = time.monotonic()
pid, fd = pty.fork()
if pid == 0:
    os.execv(winnow, ["winnow", "-p", project, "screen", "--stage", "ta", "--reviewer", "alice"])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))

def next_frame():
    # A frame ends with the key bar on the last row.
    seen = b""
    while b"q quit" not in seen:
        select.select([fd], [], [], 10)
        seen += os.read(fd, 65536)

next_frame()
first = (time.monotonic() - start) * 1000
ms = []
for _ in range(keys):
    t = time.monotonic()
    os.write(fd, b"i")
    next_frame()
    ms.append((time.monotonic() - t) * 1000)
os.write(fd, b"q")
os.waitpid(pid, 0)
print(f"first frame {first:.0f} ms; decision key to the next frame over {keys}: "
      f"median {statistics.median(ms):.1f} ms, mean {statistics.mean(ms):.1f} ms, "
      f"max {max(ms):.1f} ms")
PY
