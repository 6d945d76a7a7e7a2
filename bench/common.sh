# Sourced by the benchmark scripts: where things are, what they need, and a
# Release build of winnow.
#
#   root   the checkout            gen    ../shared/bench/gen_corpus.py (GEN_CORPUS)
#   work   BENCH_DIR or /tmp/winnow-bench       build  BUILD_DIR or build-bench
#
# bench_need_time / bench_need_gen stop with a one-line reason;
# bench_build builds winnow in $build (configured as a Release build when
# $build holds none yet) and sets $winnow.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
gen="${GEN_CORPUS:-$root/../shared/bench/gen_corpus.py}"
work="${BENCH_DIR:-/tmp/winnow-bench}"
build="${BUILD_DIR:-$root/build-bench}"

bench_need_time() {
  [ -x /usr/bin/time ] || { echo "bench: needs GNU time (apt-get install time)"; exit 1; }
}

bench_need_gen() {
  [ -f "$gen" ] || { echo "bench: generator not found at $gen (set GEN_CORPUS)"; exit 1; }
}

bench_build() {
  [ -f "$build/CMakeCache.txt" ] ||
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DWINNOW_TESTS=OFF >/dev/null
  cmake --build "$build" -j "$(nproc)" --target winnow_cli >/dev/null
  winnow="$build/winnow"
}
