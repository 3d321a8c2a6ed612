#!/usr/bin/env bash
# Runs the registry, layout and reproducibility tests N times in a row (default 50) while `stress-ng --cpu 1`
# keeps another core busy, and stops at the first failure: the acceptance check that no test depends on timing
# or luck (issue 14). Builds the tests first.
#
#   scripts/stress-tests.sh [N]
#   STEVEDORE_STRESS_SKIP_BUILD=1   use the tests as built (`swift build --build-tests` ran already)
#
# Each run's output goes to .build/stress-tests/run-I.log; each run's line names its three slowest tests; the last
# line printed is the summary.
set -euo pipefail
cd "$(dirname "$0")/.."

runs="${1:-50}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]  (a positive number, default 50)" >&2; exit 64; }

# The suites, as `swift test --filter` regular expressions over `Module.Suite/test()`.
filters=(
  '^StevedoreRegistryTests\.'                                      # the client, hostile registries, retries
  '^StevedoreLayoutTests\.'                                        # blob store, layout, locking
  '^StevedoreCLITests\.(PushCommandTests|Registry[A-Za-z]*Tests)/' # push, pull, copy, login, faults, cache, credentials
  '^StevedoreCLITests\.ReproducibilityTests/'                      # the reproducibility contract
)
filter_arguments=()
for filter in "${filters[@]}"; do filter_arguments+=(--filter "$filter"); done

command -v stress-ng >/dev/null || scripts/install-dependencies.sh
if [ "${STEVEDORE_STRESS_SKIP_BUILD:-0}" != 1 ]; then
  swift build --build-tests
fi
# The test bundle is run directly: `swift test --skip-build` plans the build again before every run, which takes
# about a minute on a busy machine.
bundle=$(ls -d "$(swift build --show-bin-path)"/*PackageTests.xctest | head -1)
[ -x "$bundle" ] || { echo "stress-tests: no test bundle; run swift build --build-tests" >&2; exit 1; }

logs=.build/stress-tests
mkdir -p "$logs"
stress-ng --cpu 1 --quiet &
stress_pid=$!
trap 'kill "$stress_pid" 2>/dev/null || true; wait "$stress_pid" 2>/dev/null || true' EXIT

started=$SECONDS
for ((run = 1; run <= runs; run++)); do
  run_started=$SECONDS
  log="$logs/run-$run.log"
  if "$bundle" --testing-library swift-testing "${filter_arguments[@]}" >"$log" 2>&1; then
    tests=$(grep -Eo 'Test run with [0-9]+ tests' "$log" | tail -1 | grep -Eo '[0-9]+' || echo '?')
    echo "run $run/$runs: passed ($tests tests) in $((SECONDS - run_started)) s; the slowest:"
    # Swift Testing's "passed after N seconds" per test (and per parameterized test), the three longest.
    grep -E '^✔ Test .* passed after [0-9.]+ seconds' "$log" | grep -v '^✔ Test run with ' \
      | sed -E 's/^✔ Test (.*) passed after ([0-9.]+) seconds.*/\2 s  \1/' | sort -rn | head -3 | sed 's/^/    /' || true
  else
    echo "run $run/$runs: FAILED after $((SECONDS - run_started)) s; the failures:"
    grep -E '✘|error:|failed' "$log" | head -40 || true
    echo "stress-tests: FAILED at run $run of $runs (stress-ng --cpu 1 beside); full log: $log"
    exit 1
  fi
done
total=$((SECONDS - started))
echo "stress-tests: $runs of $runs runs passed with stress-ng --cpu 1 beside, in $total s ($((total / runs)) s a run)"
