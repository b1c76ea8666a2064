# The start every benchmark script shares: paths (each overridable from the environment),
# `-n RUNS`, the kit's corpus and peers (its scripts cache both), and astscan in release.
#
# Usage, from a script in benches/:   RUNS=5; . "$(dirname "$0")/common.sh"
# Env:   BENCH_KIT    the shared benchmark kit     (default: ../shared/bench next to the repo)
#        CORPUS       corpus directory             (default ~/.cache/astscan-bench/corpus)
#        PEERS        venv with the peer tools     (default ~/.cache/astscan-bench/peers)
#        JOBS         parallelism for every tool   (default 2)
#        ASTSCAN_BIN  use this astscan binary and skip `cargo build`
# Sets ROOT (the repository), KIT, CORPUS, PEERS, JOBS (exported), RUNS and A (astscan).
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
KIT="${BENCH_KIT:-$ROOT/../shared/bench}"
export CORPUS="${CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/astscan-bench/corpus}"
export PEERS="${PEERS:-${XDG_CACHE_HOME:-$HOME/.cache}/astscan-bench/peers}"
export JOBS="${JOBS:-2}"
while [ $# -gt 0 ]; do
  case "$1" in
    -n) RUNS="$2"; shift 2;;
    *) echo "usage: $0 [-n RUNS]" >&2; exit 2;;
  esac
done
[ -d "$KIT" ] || { echo "benchmark kit not found at $KIT (set BENCH_KIT)" >&2; exit 2; }
KIT="$(cd "$KIT" && pwd)"
bash "$KIT/corpus.sh" "$CORPUS" >/dev/null
bash "$KIT/peers.sh" "$PEERS" >/dev/null
if [ -n "${ASTSCAN_BIN:-}" ]; then
  A="$ASTSCAN_BIN"
else
  cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml"
  A="$ROOT/target/release/astscan"
fi
