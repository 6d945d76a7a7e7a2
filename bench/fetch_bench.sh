#!/usr/bin/env bash
# Fetch benchmark: `winnow fetch crossref` against a local server on
# 127.0.0.1 that serves PAGES pages of ROWS made-up Crossref works each (the
# pages are built before the server starts, so serving them costs little),
# into a fresh project, RUNS times, with wall and user time and peak memory.
#
#   bench/fetch_bench.sh [PAGES [ROWS [RUNS]]]     (default: 5 1000 3)
#
# Needs python3 and GNU time (apt-get install time). BUILD_DIR names a
# build to use (default: a Release build in build-bench). Nothing leaves the
# machine. Not part of the test suite.
set -euo pipefail
. "$(dirname "$0")/common.sh"
pages="${1:-5}" rows="${2:-1000}" runs="${3:-3}"
work="$work/fetch"

bench_need_time
bench_build
mkdir -p "$work"
rm -f "$work/port"

python3 - "$pages" "$rows" "$work/port" <<'EOF' &
import json, sys
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

pages, rows, port_file = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
words = ("mental health social work equity primary care community outcomes "
         "older adults integrated services access trial cohort").split()

def work(i):
    text = " ".join(words[(i + k) % len(words)] for k in range(90))
    return {
        "DOI": f"10.5555/bench.{i}",
        "type": "journal-article",
        "title": [f"Work {i}: " + " ".join(words[(i + k) % len(words)] for k in range(8))],
        "author": [{"given": f"Given{i % 97}", "family": f"Family{(i * 7) % 1013}",
                    "sequence": "first" if a == 0 else "additional", "affiliation": []}
                   for a in range(3)],
        "container-title": [f"Journal {i % 40}"],
        "volume": str(i % 60), "issue": str(i % 12), "page": f"{i % 300}-{i % 300 + 12}",
        "issued": {"date-parts": [[1990 + i % 34, 1 + i % 12]]},
        "abstract": f"<jats:p>{text}</jats:p>",
        "ISSN": ["1234-5678"], "language": "en", "publisher": "Bench Publisher",
        "URL": f"https://doi.org/10.5555/bench.{i}",
    }

bodies = {}
for p in range(pages):
    message = {"facets": {}, "total-results": pages * rows,
               "next-cursor": f"cursor-{p + 1}",
               "items": [work(p * rows + i) for i in range(rows)],
               "items-per-page": rows, "query": {"start-index": 0, "search-terms": "bench"}}
    doc = {"status": "ok", "message-type": "work-list", "message-version": "1.0.0",
           "message": message}
    bodies["*" if p == 0 else f"cursor-{p}"] = json.dumps(doc, indent=1).encode()

class Pages(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        cursor = parse_qs(urlparse(self.path).query).get("cursor", ["*"])[0]
        body = bodies.get(cursor, bodies["*"])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Pages)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
EOF
server=$!
trap 'kill "$server" 2>/dev/null' EXIT
for _ in $(seq 200); do [ -s "$work/port" ] && break; sleep 0.1; done
[ -s "$work/port" ] || { echo "bench: the server did not start"; exit 1; }
base="http://127.0.0.1:$(cat "$work/port")"

echo "$pages pages of $rows Crossref works from $base; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
printf "| run | wall s | user s | peak RSS MB | records | JSON MB |\n|---:|---:|---:|---:|---:|---:|\n"
for run in $(seq "$runs"); do
  project="$work/perf.winnow"
  rm -f "$project" "$project".fetch-*
  "$winnow" init "$project" --title bench >/dev/null
  /usr/bin/time -f "%e %U %M" -o "$work/time.out" \
    "$winnow" -p "$project" fetch crossref --query bench --base-url "$base" -q >"$work/out"
  read -r wall user kib <"$work/time.out"
  stored=$("$winnow" -p "$project" sources --json | python3 -c \
    'import json,sys; s=json.load(sys.stdin)[0]; print(s["records"], "%.2f" % (s["bytes"] / 1e6))')
  printf "| %d | %s | %s | %d | %s | %s |\n" "$run" "$wall" "$user" $((kib / 1024)) $stored
done
