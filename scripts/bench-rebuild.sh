#!/usr/bin/env bash
# Rebuild benchmark (issue 10): an image of a >= 60 MB executable built cold, rebuilt unchanged through the
# layer cache, rebuilt after only the executable changed; then build + push again of the unchanged image,
# beside apple/swift-container-plugin's `containertool` pushing the same executable.
#
#   EXECUTABLE=PATH CONTAINERTOOL=PATH scripts/bench-rebuild.sh
#
# EXECUTABLE     an ELF executable of >= 60 MB (default: this checkout's debug `stevedore`, ~110 MB, dynamically
#                linked to the Swift runtime, so the libraries layer is large too).
# CONTAINERTOOL  a `containertool` built by hand from a checkout of apple/swift-container-plugin
#                (`swift build -c release --product containertool`); without it, its rows are skipped.
# STEVEDORE      the stevedore under test (default: this checkout's release build, built when missing).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
for tool in docker-registry python3; do
    command -v "$tool" >/dev/null || { echo "bench-rebuild: $tool is required" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/stevedore-bench.XXXXXX")
source "$(dirname "$0")/bench-common.sh"
stevedore=$(bench_stevedore)
executable=${EXECUTABLE:-$root/.build/debug/stevedore}
[[ -x $executable ]] || { echo "bench-rebuild: $executable is not an executable; set EXECUTABLE" >&2; exit 1; }
cp "$executable" "$work/app"
export STEVEDORE_CACHE_DIR=$work/cache CI=1
size_mb=$(python3 -c "import os; print(round(os.path.getsize('$work/app')/1e6,1))")

build() { "$stevedore" build --executable "$work/app" --source-date-epoch 1700000000 "$@"; }
# The fastest of three runs of "$@", in seconds.
best_of_3() {
    local best=
    for _ in 1 2 3; do
        local start; start=$(seconds)
        "$@" >/dev/null 2>&1
        local took; took=$(elapsed "$start")
        best=$(python3 -c "print(min(x for x in [$took, ${best:-$took}]))")
    done
    echo "$best"
}
compressed_layers() { grep -c 'compressed to' "$1" || true; }

start=$(seconds)
build --output "oci-layout:$work/cold:v1" --no-cache >"$work/cold.out" 2>"$work/cold.err"
cold_time=$(elapsed "$start")
cold_digest=$(tail -1 "$work/cold.out" | sed 's/.*@//')

start=$(seconds)
build --output "oci-layout:$work/out:v1" >/dev/null 2>&1
first_time=$(elapsed "$start")
# Files changed in the last 2 s are hashed again on every build (see FileDigestRecords); let the copy age.
sleep 2.5
build --output "oci-layout:$work/out:v1" >/dev/null 2>&1
unchanged_time=$(best_of_3 build --output "oci-layout:$work/out:v1")
unchanged_digest=$(build --output "oci-layout:$work/out:v1" 2>/dev/null | tail -1 | sed 's/.*@//')

# Only the executable changes (one byte appended: the same libraries, another executable layer).
printf '\0' >>"$work/app"
start=$(seconds)
build --output "oci-layout:$work/out:v2" >/dev/null 2>"$work/changed.err"
changed_time=$(elapsed "$start")
changed_layers=$(compressed_layers "$work/changed.err")

# Build + push, then build + push again unchanged (no local output: the cache is the only store).
bench_start_registry
target=127.0.0.1:$port/bench/stevedore:v1
start=$(seconds)
build --push "$target" >/dev/null 2>&1
push_first_time=$(elapsed "$start")
before=$(bench_blob_uploads)
build --push "$target" >/dev/null 2>"$work/repush.err"
after=$(bench_blob_uploads)
repush_uploads=$((after - before))
repush_compressed=$(compressed_layers "$work/repush.err")
repush_time=$(best_of_3 build --push "$target")

peer_first=skipped peer_again=skipped
if [[ -n ${CONTAINERTOOL:-} ]]; then
    peer() { "$CONTAINERTOOL" --repository "127.0.0.1:$port/bench/containertool" --tag v1 --from scratch --allow-insecure-http destination --disable-netrc "$work/app"; }
    start=$(seconds)
    peer >"$work/peer.log" 2>&1 || { echo "bench-rebuild: containertool failed:" >&2; cat "$work/peer.log" >&2; exit 1; }
    peer_first=$(elapsed "$start")
    peer_again=$(best_of_3 peer)
fi

echo "executable:                         $size_mb MB ($executable)"
echo "cold build (--no-cache):            $cold_time s"
echo "first build through the cache:      $first_time s"
echo "unchanged rebuild (best of 3):      $unchanged_time s, same digest: $([[ $unchanged_digest == "$cold_digest" ]] && echo yes || echo NO) (goal < 0.5 s)"
echo "rebuild, executable changed:        $changed_time s, $changed_layers layer(s) compressed (goal 1)"
echo "build + push:                       $push_first_time s"
echo "build + push again (best of 3):     $repush_time s, $repush_uploads blob uploads, $repush_compressed layers compressed (goal 0, 0)"
echo "containertool push:                 $peer_first s"
echo "containertool push again (best of 3): $peer_again s"
if [[ $peer_again != skipped ]]; then
    echo "build + push again vs containertool: $(python3 -c "print(round($peer_again/$repush_time,1))")x faster (goal >= 5x)"
fi
