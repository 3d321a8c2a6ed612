# Shared by the benchmark scripts (sourced): a throwaway work directory, a local docker-registry, timing.
#
#   source "$(dirname "$0")/bench-common.sh"
#   bench_start_registry          # sets $port; the registry logs to $work/registry.log
#   start=$(seconds); ...; elapsed "$start"
#
# The caller sets $work (a fresh directory) before sourcing; everything started here is stopped on exit.

registry_pid=
bench_cleanup() {
    if [[ -n $registry_pid ]]; then kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap bench_cleanup EXIT

# Starts docker-registry (plain HTTP) on a free port of 127.0.0.1 and waits until it accepts connections.
bench_start_registry() {
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
    cat > "$work/registry.yml" <<YAML
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: 127.0.0.1:$port
YAML
    docker-registry serve "$work/registry.yml" >"$work/registry.log" 2>&1 &
    registry_pid=$!
    for _ in $(seq 1 100); do
        python3 -c "import socket; socket.create_connection(('127.0.0.1',$port),1)" 2>/dev/null && return 0
        sleep 0.1
    done
    echo "bench: docker-registry did not start; see $work/registry.log" >&2
    return 1
}

# Blob uploads the registry has completed so far (each starts with POST …/blobs/uploads/).
bench_blob_uploads() { grep 'response completed' "$work/registry.log" | grep -c 'http.request.method=POST.*blobs/uploads' || true; }

seconds() { python3 -c "import time; print(time.monotonic())"; }
# Seconds since $1, to the millisecond.
elapsed() { python3 -c "import time; print(round(time.monotonic()-$1,3))"; }

# The stevedore under test: $STEVEDORE, else a release build of this checkout (built when missing).
bench_stevedore() {
    local root
    root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
    local binary=${STEVEDORE:-$root/.build/release/stevedore}
    if [[ ! -x $binary ]]; then (cd "$root" && swift build -c release --product stevedore >&2); fi
    echo "$binary"
}
