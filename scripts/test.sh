#!/usr/bin/env bash
# Runs every test: unit tests, and end-to-end tests judged by skopeo, umoci, oci-image-tool, podman and a
# real docker-registry on 127.0.0.1. Arguments, if any, go to `swift test` (e.g. --filter NAME).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-dependencies.sh
swift build --build-tests
if (($#)); then
  exec swift test --skip-build "$@"
fi
# The plugin tests compile Stevedore a second time for packages that depend on it; they run after the rest so
# that those builds do not compete for the cores with the registry's timing-sensitive fault tests.
swift test --skip-build --skip PluginTests
if [ "${STEVEDORE_SKIP_PLUGIN_TESTS:-0}" != 1 ]; then
  swift test --skip-build --filter PluginTests
fi
# Each libFuzzer harness (Fuzz/, RELIABILITY.md) runs briefly from its seed corpus; STEVEDORE_SKIP_FUZZ=1 skips them.
if [ "${STEVEDORE_SKIP_FUZZ:-0}" != 1 ]; then
  scripts/fuzz.sh all "${STEVEDORE_FUZZ_SECONDS:-20}"
fi
