#!/usr/bin/env bash
# Measures StevedoreArchive's layer writer against `tar | gzip -6 -n` and `tar | pigz -6` on the same tree.
#
#   scripts/bench-layer.sh [SOURCE_DIR]
#
# Without SOURCE_DIR, a tree of about 220 MB of regular files is copied from /usr/lib into a scratch directory.
# Needs the `stevedore-bench-layer` executable target (Benchmarks/LayerBench) in Package.swift.
# Prints, for each tool and round: seconds, throughput in MB/s of uncompressed tar, compressed size and peak
# RSS; then the ratios of the best round of each (BENCH_ROUNDS rounds, default 3, tools interleaved so that a
# busy moment on a shared machine does not land on one tool only).
set -euo pipefail

cd "$(dirname "$0")/.."
SIZE_MB="${BENCH_SIZE_MB:-220}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/stevedore-bench-layer.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

if [[ $# -ge 1 ]]; then
    TREE="$1"
else
    TREE="$WORK/tree"
    mkdir -p "$TREE"
    # Regular files only, so the tree holds no sockets or links pointing outside it.
    find /usr/lib -xdev -type f -printf '%s\t%P\n' | LC_ALL=C sort -t$'\t' -k2 \
        | awk -F'\t' -v max=$((SIZE_MB * 1000 * 1000)) '{ if (total < max) { print $2; total += $1 } }' > "$WORK/files"
    tar -C /usr/lib -cf - -T "$WORK/files" | tar -C "$TREE" -xf -
fi

echo "== building stevedore-bench-layer (release)"
swift build -c release --product stevedore-bench-layer >/dev/null
BENCH="$(swift build -c release --show-bin-path)/stevedore-bench-layer"

THREADS="$(nproc)"
TAR_BYTES="$(tar -C "$TREE" -cf - . | wc -c)"   # also warms the page cache
echo "== tree: $TREE, $((TAR_BYTES / 1000000)) MB of tar, $(find "$TREE" | wc -l) entries, $THREADS cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"

# run NAME COMMAND OUTPUT_FILE: times COMMAND under /usr/bin/time -v and prints one result line.
run() {
    local name="$1" command="$2" output="$3"
    /usr/bin/time -v -o "$WORK/time-$name" bash -c "$command" > "$WORK/stdout-$name"
    local seconds rss size cpu
    seconds="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$WORK/time-$name")"
    rss="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time-$name")"
    cpu="$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$WORK/time-$name")"
    size="$(stat -c %s "$output")"
    printf '%-10s %7.2f s  %7.1f MB/s  cpu %7.2f s  gzip %6d MB  peak RSS %6d MB\n' "$name" "$seconds" \
        "$(echo "$TAR_BYTES / 1000000 / $seconds" | bc -l)" "$cpu" $((size / 1000000)) $((rss / 1024))
    echo "$seconds" >> "$WORK/seconds-$name"
    rm -f "$output"
}

best() { sort -n "$WORK/seconds-$1" | head -1; }

for round in $(seq "${BENCH_ROUNDS:-3}"); do
    echo "== round $round (load $(cut -d' ' -f1 /proc/loadavg))"
    run stevedore "'$BENCH' '$TREE' '$WORK' $THREADS && mv '$WORK'/layer-*.tar.gz '$WORK/stevedore.tar.gz'" "$WORK/stevedore.tar.gz"
    sed 's/^/           /' "$WORK/stdout-stevedore"
    run gzip "tar -C '$TREE' -cf - . | gzip -6 -n > '$WORK/gzip.tar.gz'" "$WORK/gzip.tar.gz"
    run pigz "tar -C '$TREE' -cf - . | pigz -p $THREADS -6 > '$WORK/pigz.tar.gz'" "$WORK/pigz.tar.gz"
done

ours="$(best stevedore)"
echo "== best of each: stevedore $ours s, gzip $(best gzip) s, pigz $(best pigz) s"
echo "== stevedore speed: $(echo "$(best pigz) / $ours" | bc -l | cut -c1-4)x pigz (target >= 0.9), $(echo "$(best gzip) / $ours" | bc -l | cut -c1-4)x gzip (target >= 1.8)"
