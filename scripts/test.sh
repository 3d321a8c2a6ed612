#!/usr/bin/env bash
# Runs every test: unit tests, and end-to-end tests judged by skopeo, umoci, oci-image-tool, podman and a
# real docker-registry on 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build "$@"
