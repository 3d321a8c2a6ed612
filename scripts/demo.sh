#!/usr/bin/env bash
# The main job on a built-in default: builds a self-contained image of the bundled example server
# (Examples/HelloServer) with the build-image plugin, into an OCI layout — no daemon, no registry account.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh

cd Examples/HelloServer
swift package --allow-writing-to-package-directory build-image --expose 8080

layout="$PWD/.build/stevedore/oci/HelloServer"
cat <<MSG

The image is in the OCI layout $layout (tag: latest).
Inspect:    skopeo inspect oci:$layout:latest
Run it:     podman run --rm -p 8080:8080 oci:$layout:latest
            (on a machine without systemd or crun, add: --runtime runc --cgroup-manager cgroupfs --network=host)
Then:       curl http://127.0.0.1:8080/up
MSG
