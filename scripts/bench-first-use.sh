#!/usr/bin/env bash
# First use and the edit → image loop (issue 13): a fresh package as a new user makes it, its first image from an
# empty `.build`, then a one-line code change and the new image; ours beside apple/swift-container-plugin's, same
# package, same machine, one run each.
#
#   SWIFT_CONTAINER_PLUGIN=/path/to/swift-container-plugin scripts/bench-first-use.sh [--prebuilt] [--quick] [--skip-source]
#
# SWIFT_CONTAINER_PLUGIN  a checkout of apple/swift-container-plugin; the test package depends on it by path and
#                         runs its `build-container-image` (which also pushes: to a local docker-registry here).
#                         Without it, its row is skipped. Nothing of it is copied or built outside that run.
# --prebuilt              also measure Stevedore with the prebuilt tool: the package depends on the prebuilt plugin
#                         package (scripts/make-artifact-bundle.sh) around $STEVEDORE (default: this checkout's
#                         release build, built when missing).
# --quick                 a smoke run of the script, not a benchmark: the product is a one-file executable (no
#                         swift-nio), the peer is skipped, the source-built row uses this checkout's warm plugin-test
#                         scratch directory (BENCH_WARM_SCRATCH, default .build/plugin-tests/scratch) instead of an
#                         empty one, and --prebuilt takes this checkout's debug `stevedore` unless $STEVEDORE is set.
# --skip-source           leave out the source-built row (e.g. `--quick --prebuilt --skip-source`: a smoke run in
#                         a minute, without touching any scratch directory of this checkout).
#
# The product is Examples/HelloServer's (swift-nio, a resource bundle); each package has its own empty scratch
# directory. Our plugin builds release with the Swift standard library linked statically (its defaults); the peer's
# inherits the configuration, so it runs as `swift package -c release … build-container-image --from scratch`.
# Then one line of the server's source (a string) changes, after which each plugin builds and writes (or pushes) the
# new image; then another. Our runs after a change pass --verbose: their phase timings are printed under the table.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
quick= prebuilt= skip_source=
for argument in "$@"; do
    case $argument in
        --quick) quick=1 ;;
        --prebuilt) prebuilt=1 ;;
        --skip-source) skip_source=1 ;;
        -h|--help) sed -n '2,/^set -e/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "bench-first-use: unknown argument $argument" >&2; exit 2 ;;
    esac
done
for tool in swift git python3 docker-registry; do
    command -v "$tool" >/dev/null || { echo "bench-first-use: $tool is required" >&2; exit 1; }
done
peer=${SWIFT_CONTAINER_PLUGIN:-}
if [[ -n $quick ]]; then peer=; fi
if [[ -n $peer && ! -f $peer/Package.swift ]]; then
    echo "bench-first-use: SWIFT_CONTAINER_PLUGIN=$peer is not a package checkout" >&2
    exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/stevedore-bench-first-use.XXXXXX")
source "$(dirname "$0")/bench-common.sh"
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
export STEVEDORE_CACHE_DIR=$work/stevedore-cache CI=1

# A package at $1 whose plugin dependency is the line $2; the product is HelloServer (or, --quick, a one-file Tiny).
make_package() {
    local directory=$1 dependency=$2
    mkdir -p "$directory"
    if [[ -n $quick ]]; then
        mkdir -p "$directory/Sources/HelloServer"
        echo 'print("Hello, version 1")' >"$directory/Sources/HelloServer/main.swift"
        cat >"$directory/Package.swift" <<SWIFT
// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "HelloServer",
    products: [.executable(name: "HelloServer", targets: ["HelloServer"])],
    dependencies: [$dependency],
    targets: [.executableTarget(name: "HelloServer")]
)
SWIFT
    else
        cp -R "$root/Examples/HelloServer/Sources" "$directory/Sources"
        sed "s|\.package(path: \"\.\./\.\.\"),|$dependency,|" "$root/Examples/HelloServer/Package.swift" >"$directory/Package.swift"
        grep -qF "$dependency" "$directory/Package.swift" || { echo "bench-first-use: could not set the plugin dependency" >&2; exit 1; }
    fi
    echo .build/ >"$directory/.gitignore"
    git -C "$directory" init -q -b main
    git -C "$directory" add -A
    git -C "$directory" commit -q -m Package
}

# The one-line change number $2: a string of the server's source, left uncommitted.
change_source() {
    local file
    file=$(grep -rl 'Hello' "$1/Sources" --include='*.swift' | head -1)
    python3 - "$file" "$2" <<'PY'
import re, sys
path, number = sys.argv[1], sys.argv[2]
text = open(path).read()
for pattern, new in ((r'version [0-9]+', f'version {int(number) + 1}'),
                     (r'HelloServer( \(change [0-9]+\))? listening on', f'HelloServer (change {number}) listening on')):
    changed, count = re.subn(pattern, new, text, count=1)
    if count:
        open(path, 'w').write(changed)
        break
else:
    sys.exit(f"no line to change in {path}")
PY
    # Not committed: an edit loop builds a dirty tree, whose time stamps stay the last commit's (a new commit would
    # move SOURCE_DATE_EPOCH, and with it every layer's time stamps).
}

# Runs "$@" with its output in $work/$label.log; prints the seconds it took, or fails with the log.
timed() {
    local label=$1; shift
    local start; start=$(seconds)
    if ! "$@" >"$work/$label.log" 2>&1; then
        echo "bench-first-use: $label failed; its output:" >&2
        tail -40 "$work/$label.log" >&2
        exit 1
    fi
    elapsed "$start"
}

# Our build-image in package $1 with scratch directory $2 and its extra arguments.
ours() {
    local package=$1 scratch=$2; shift 2
    swift package --package-path "$package" --scratch-path "$scratch" --allow-writing-to-package-directory build-image "$@"
}

rows=()
timings=()
measure_ours() {
    local name=$1 dependency=$2 scratch=$3
    local package=$work/$name
    make_package "$package" "$dependency"
    local first changes=() digest changed
    first=$(timed "$name-first" ours "$package" "$scratch")
    digest=$(grep -o 'Image digest: sha256:[0-9a-f]*' "$work/$name-first.log" | tail -1)
    for number in 1 2; do
        change_source "$package" "$number"
        changes+=("$(timed "$name-change$number" ours "$package" "$scratch" --verbose)")
        changed=$(grep -o 'Image digest: sha256:[0-9a-f]*' "$work/$name-change$number.log" | tail -1)
        [[ -n $changed && $changed != "$digest" ]] || { echo "bench-first-use: $name: change $number did not make a new image" >&2; exit 1; }
        digest=$changed
        timings+=("$name (change $number, --verbose):" "$(grep -o 'timing: .*' "$work/$name-change$number.log" | sed 's/^/  /')")
    done
    rows+=("$name|$first|${changes[0]}|${changes[1]}")
}

# 1. Stevedore, source-built tool: the package depends on this checkout by path.
if [[ -n $skip_source ]]; then
    :
elif [[ -n $quick ]]; then
    warm=${BENCH_WARM_SCRATCH:-$root/.build/plugin-tests/scratch}
    [[ -d $warm ]] || { echo "bench-first-use: --quick needs a warm scratch directory at $warm (run the plugin tests once)" >&2; exit 1; }
    measure_ours "stevedore-source-warm-scratch" ".package(path: \"$root\")" "$warm"
else
    measure_ours "stevedore-source" ".package(path: \"$root\")" "$work/stevedore-source-scratch"
fi

# 2. Stevedore, prebuilt tool: the prebuilt plugin package around an artifact bundle of $STEVEDORE.
if [[ -n $prebuilt ]]; then
    if [[ -n $quick ]]; then binary=${STEVEDORE:-$root/.build/debug/stevedore}; else binary=$(bench_stevedore); fi
    [[ -x $binary ]] || { echo "bench-first-use: $binary is not an executable; set STEVEDORE" >&2; exit 1; }
    "$root/scripts/make-artifact-bundle.sh" --output "$work/dist" --version bench "$binary:$(uname -m)-unknown-linux-gnu" >/dev/null
    measure_ours "stevedore-prebuilt" ".package(path: \"$work/dist/stevedore-plugins\")" "$work/stevedore-prebuilt-scratch"
fi

# 3. swift-container-plugin: its build-container-image pushes to a local registry.
if [[ -n $peer ]]; then
    bench_start_registry
    package=$work/peer
    make_package "$package" ".package(path: \"$peer\")"
    theirs() {
        swift package --package-path "$package" --scratch-path "$work/peer-scratch" -c release \
            --allow-network-connections all build-container-image \
            --repository "127.0.0.1:$port/bench/hello" --from scratch --allow-insecure-http destination --disable-netrc
    }
    first=$(timed peer-first theirs)
    change_source "$package" 1
    change=$(timed peer-change1 theirs)
    change_source "$package" 2
    again=$(timed peer-change2 theirs)
    rows+=("swift-container-plugin (build + push)|$first|$change|$again")
fi

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(swift --version 2>/dev/null | head -1)"
[[ -z $quick ]] || echo "SMOKE RUN (--quick): a one-file product (and a warm scratch directory for the source-built row); these are not the benchmark's figures"
printf '| %-40s | %-28s | %-22s | %-22s |\n' "" "first use (empty scratch)" "one-line change" "another one-line change"
printf '| %-40s | %-28s | %-22s | %-22s |\n' "---" "---" "---" "---"
for row in "${rows[@]}"; do
    IFS='|' read -r name first change again <<<"$row"
    [[ $name != stevedore-source-warm-scratch ]] || first="$first (warm scratch)"
    printf '| %-40s | %-28s | %-22s | %-22s |\n' "$name" "$first s" "$change s" "$again s"
done
[[ -n $peer ]] || echo "(swift-container-plugin skipped: set SWIFT_CONTAINER_PLUGIN to its checkout, without --quick)"
echo
for line in "${timings[@]}"; do echo "$line"; done
