#!/usr/bin/env bash
# The main job on a built-in default: builds a self-contained image of the bundled example server
# (Examples/HelloServer) with the build-image plugin, into an OCI layout — no daemon, no registry account.
# The plugin prints the image digest and how to run the image with podman.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh

cd Examples/HelloServer
swift package --allow-writing-to-package-directory build-image --expose 8080
