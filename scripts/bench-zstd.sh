#!/usr/bin/env bash
# Measures `stevedore build --compression zstd` layer writing against `tar | zstd -T<cores> -3`,
# `tar | pigz -p<cores> -6` and Stevedore's own gzip on the same tree.
#
#   scripts/bench-zstd.sh [SOURCE_DIR]
#
# Without SOURCE_DIR, a mixed tree of about 220 MB of regular files (BENCH_SIZE_MB) is copied into a scratch
# directory: half shared libraries from /usr/lib/x86_64-linux-gnu, half text, locales and data from /usr/share,
# each taken in byte-wise path order (hard links copied as files), so the same machine gives the same tree.
# Uses STEVEDORE (default: .build/release/stevedore, built if missing). Prints, for each tool and round:
# seconds, throughput in MB/s of uncompressed tar, CPU seconds, compressed size and peak RSS; then the
# ratios of the best round of each (BENCH_ROUNDS rounds, default 1, tools interleaved).
set -euo pipefail

cd "$(dirname "$0")/.."
SIZE_MB="${BENCH_SIZE_MB:-220}"
STEVEDORE="${STEVEDORE:-$PWD/.build/release/stevedore}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/stevedore-bench-zstd.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
for tool in zstd pigz tar /usr/bin/time bc; do
    command -v "$tool" >/dev/null || { echo "bench-zstd: $tool is required" >&2; exit 1; }
done

# copy_part SOURCE MEGABYTES: regular files of SOURCE in path order, up to MEGABYTES, into $TREE/<basename>.
copy_part() {
    local source="$1" max=$(($2 * 1000 * 1000)) name
    name="$(basename "$source")"
    find "$source" -xdev -type f -readable -printf '%s\t%P\n' 2>/dev/null | LC_ALL=C sort -t$'\t' -k2 \
        | awk -F'\t' -v max="$max" '{ if (total < max) { print $2; total += $1 } }' > "$WORK/files-$name"
    mkdir -p "$TREE/$name"
    tar -C "$source" --hard-dereference -cf - -T "$WORK/files-$name" | tar -C "$TREE/$name" -xf -
}

if [[ $# -ge 1 ]]; then
    TREE="$1"
else
    TREE="$WORK/tree"
    mkdir -p "$TREE"
    copy_part /usr/lib/x86_64-linux-gnu $((SIZE_MB / 2))
    copy_part /usr/share $((SIZE_MB - SIZE_MB / 2))
fi

if [[ ! -x $STEVEDORE ]]; then
    echo "== building stevedore (release)"
    swift build -c release --product stevedore >/dev/null
fi

THREADS="$(nproc)"
TAR_BYTES="$(tar -C "$TREE" -cf - . | wc -c)"   # also warms the page cache
echo "== tree: $TREE, $((TAR_BYTES / 1000000)) MB of tar, $(find "$TREE" | wc -l) entries, $THREADS cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== stevedore: $STEVEDORE; $(zstd --version | head -1); libzstd $(pkg-config --modversion libzstd 2>/dev/null || echo '?')"

# run NAME COMMAND OUTPUT_FILE: times COMMAND under /usr/bin/time -v and prints one result line.
run() {
    local name="$1" command="$2" output="$3"
    /usr/bin/time -v -o "$WORK/time-$name" bash -c "$command" > "$WORK/stdout-$name" 2>&1
    local seconds rss size cpu
    seconds="$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$WORK/time-$name")"
    rss="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time-$name")"
    cpu="$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$WORK/time-$name")"
    size="$(stat -L -c %s "$output")"
    printf '%-15s %7.2f s  %7.1f MB/s  cpu %7.2f s  output %7.1f MB  peak RSS %6d MB\n' "$name" "$seconds" \
        "$(echo "$TAR_BYTES / 1000000 / $seconds" | bc -l)" "$cpu" "$(echo "$size / 1000000" | bc -l)" $((rss / 1024))
    echo "$seconds" >> "$WORK/seconds-$name"
    echo "$size" > "$WORK/size-$name"
}

# build NAME COMPRESSION: `stevedore build` of the tree alone into a fresh layout; the layer is its largest blob.
build() {
    local name="$1" compression="$2" layout="$WORK/layout-$1"
    rm -rf "$layout"
    run "$name" "SOURCE_DATE_EPOCH=1700000000 '$STEVEDORE' build --no-self-contained --add '$TREE:/data' \
        --compression $compression --threads $THREADS --no-cache --quiet --output 'oci-layout:$layout:bench' \
        && ln -sf \"\$(ls -S '$layout'/blobs/sha256/* | head -1)\" '$WORK/$name.layer'" "$WORK/$name.layer"
    grep -o 'sha256:[0-9a-f]*' "$WORK/stdout-$name" | tail -1 | sed "s/^/                manifest /"
}

best() { sort -n "$WORK/seconds-$1" | head -1; }

for round in $(seq "${BENCH_ROUNDS:-1}"); do
    echo "== round $round (load $(cut -d' ' -f1 /proc/loadavg))"
    build stevedore-zstd zstd:3
    run zstd "tar -C '$TREE' -cf - . | zstd -q -T$THREADS -3 > '$WORK/zstd.tar.zst'" "$WORK/zstd.tar.zst"
    run pigz "tar -C '$TREE' -cf - . | pigz -p $THREADS -6 > '$WORK/pigz.tar.gz'" "$WORK/pigz.tar.gz"
    build stevedore-gzip gzip:6
    rm -f "$WORK"/*.tar.* "$WORK"/*.layer
done

ours="$(best stevedore-zstd)"
ratio() { echo "$1 / $2" | bc -l | cut -c1-4; }
echo "== best of each: stevedore zstd $ours s, zstd -T$THREADS -3 $(best zstd) s, pigz -p $THREADS -6 $(best pigz) s, stevedore gzip $(best stevedore-gzip) s"
echo "== stevedore zstd speed: $(ratio "$(best pigz)" "$ours")x pigz -6 (target >= 3), $(ratio "$(best zstd)" "$ours")x zstd -3, $(ratio "$(best stevedore-gzip)" "$ours")x stevedore gzip"
echo "== stevedore zstd size: $(ratio "$(cat "$WORK/size-stevedore-zstd")" "$(cat "$WORK/size-pigz")")x pigz -6's (target <= 1), $(ratio "$(cat "$WORK/size-stevedore-zstd")" "$(cat "$WORK/size-zstd")")x zstd -3's"
