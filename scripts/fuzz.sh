#!/usr/bin/env bash
# Runs Stevedore's libFuzzer harnesses (Fuzz/, see RELIABILITY.md) from their committed seed corpora.
#   scripts/fuzz.sh TARGET [SECONDS]   one harness (tar, elf, reference, challenge, json, secrets, kamal, credentials), 60 s by default
#   scripts/fuzz.sh all [SECONDS]      each harness in turn, 20 s each by default
# The build goes to .build-fuzz (instrumented with -sanitize=fuzzer,address); new inputs go to .build-fuzz/corpus,
# crashes to .build-fuzz/crashes. Exits non-zero when a harness crashes, leaks or times out.
set -euo pipefail
cd "$(dirname "$0")/.."
targets=(tar elf reference challenge json secrets kamal credentials)
target=${1:?usage: scripts/fuzz.sh TARGET|all [SECONDS]}
if [ "$target" = all ]; then seconds=${2:-20}; run=("${targets[@]}"); else seconds=${2:-60}; run=("$target"); fi
scratch=$PWD/.build-fuzz
(cd Fuzz && swift build -c debug -Xswiftc -sanitize=fuzzer,address --scratch-path "$scratch" 2>&1 | grep -v "Cannot export local symbol" | tail -n 3)
binary=$scratch/debug/StevedoreFuzz
status=0
for name in "${run[@]}"; do
  [ -d "Fuzz/Corpus/$name" ] || { echo "no harness '$name'; choose one of: ${targets[*]}" >&2; exit 2; }
  mkdir -p "$scratch/corpus/$name" "$scratch/crashes/$name" "$scratch/tmp"
  echo "== fuzz $name for ${seconds}s"
  # The file-reading harnesses (elf, kamal, credentials) write their scratch files under TMPDIR.
  if ! TMPDIR=$scratch/tmp STEVEDORE_FUZZ_TARGET=$name ASAN_OPTIONS=detect_leaks=0:symbolize=1 "$binary" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$scratch/crashes/$name/" "$scratch/corpus/$name" "Fuzz/Corpus/$name" \
      >"$scratch/$name.log" 2>&1; then
    status=1
    echo "fuzz $name FAILED; see $scratch/$name.log and $scratch/crashes/$name/" >&2
  fi
  grep -E "stat::number_of_executed_units|stat::new_units_added" "$scratch/$name.log" | tr '\n' ' '; echo
done
exit $status
