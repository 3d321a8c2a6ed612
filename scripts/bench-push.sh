#!/usr/bin/env bash
# Push benchmark: a >= 500 MB image to a local docker-registry, stevedore beside `skopeo copy`.
#
#   scripts/bench-push.sh [SIZE_MB]        (default 520)
#
# Prints: stevedore push MB/s and peak RSS; skopeo copy MB/s; re-push blob uploads (goal 0) and time
# (goal < 0.5 s). Uses STEVEDORE (default: .build/release/stevedore, built if missing).
set -euo pipefail

size_mb=${1:-520}
for tool in docker-registry skopeo python3 /usr/bin/time; do
    command -v "$tool" >/dev/null || { echo "bench-push: $tool is required" >&2; exit 1; }
done
work=$(mktemp -d "${TMPDIR:-/tmp}/stevedore-bench.XXXXXX")
source "$(dirname "$0")/bench-common.sh"
stevedore=$(bench_stevedore)
bench_start_registry

# The image: five uncompressed tar layers of random bytes (incompressible, so sizes are what moves).
echo "bench-push: making a ${size_mb} MB image..." >&2
layout=$work/layout
python3 - "$layout" "$size_mb" <<'PY'
import hashlib, io, json, os, sys, tarfile
layout, size_mb = sys.argv[1], int(sys.argv[2])
blobs = os.path.join(layout, "blobs", "sha256")
os.makedirs(blobs, exist_ok=True)
def put(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(blobs, digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)
layers, diff_ids = [], []
count = 5
per_layer = size_mb * 1000 * 1000 // count
for n in range(count):
    path = os.path.join(layout, "layer.tmp")
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo("data/layer%d.bin" % n)
        info.size = per_layer
        info.mtime = 0
        with open("/dev/urandom", "rb") as random:
            tar.addfile(info, io.BufferedReader(random, buffer_size=1 << 20))
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    size = os.path.getsize(path)
    os.rename(path, os.path.join(blobs, digest))
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:" + digest, "size": size})
    diff_ids.append("sha256:" + digest)
config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids},
                     "config": {"Cmd": ["/bin/true"]}}, sort_keys=True, separators=(",", ":")).encode()
config_digest, config_size = put(config)
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest, "size": config_size},
                       "layers": layers}, sort_keys=True, separators=(",", ":")).encode()
manifest_digest, manifest_size = put(manifest)
with open(os.path.join(layout, "oci-layout"), "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
with open(os.path.join(layout, "index.json"), "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest,
               "size": manifest_size, "annotations": {"org.opencontainers.image.ref.name": "v1"}}]}, f)
PY
bytes=$(du -sb "$layout/blobs" | cut -f1)
mb=$(python3 -c "print(round($bytes/1e6,1))")

rate() { python3 -c "print(round($bytes/1e6/($2-$1),1))"; }

# stevedore push
start=$(seconds)
/usr/bin/time -f '%M' -o "$work/rss" "$stevedore" push "oci-layout:$layout:v1" "127.0.0.1:$port/bench/stevedore:v1" --quiet >/dev/null
end=$(seconds)
stevedore_rate=$(rate "$start" "$end")
stevedore_time=$(python3 -c "print(round($end-$start,2))")
rss_mb=$(python3 -c "print(round($(cat "$work/rss")/1024,1))")

# skopeo copy of the same layout
start=$(seconds)
skopeo copy --quiet --dest-tls-verify=false "oci:$layout:v1" "docker://127.0.0.1:$port/bench/skopeo:v1" >/dev/null
end=$(seconds)
skopeo_rate=$(rate "$start" "$end")
skopeo_time=$(python3 -c "print(round($end-$start,2))")

# re-push, unchanged
before=$(bench_blob_uploads)
start=$(seconds)
"$stevedore" push "oci-layout:$layout:v1" "127.0.0.1:$port/bench/stevedore:v1" --quiet >/dev/null
end=$(seconds)
after=$(bench_blob_uploads)
repush_time=$(python3 -c "print(round($end-$start,3))")

echo "image:                 $mb MB in 6 blobs (5 uncompressed tar layers)"
echo "stevedore push:        $stevedore_time s, $stevedore_rate MB/s, peak RSS $rss_mb MB (goal < 100 MB)"
echo "skopeo copy:           $skopeo_time s, $skopeo_rate MB/s"
echo "stevedore re-push:     $((after - before)) blob uploads (goal 0), $repush_time s (goal < 0.5 s)"
