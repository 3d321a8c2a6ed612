#!/usr/bin/env bash
# Installs the Debian packages Stevedore builds with and the independent tools its tests use as judges.
# Safe to run again: it installs only what is missing. Needs root (or sudo).
set -euo pipefail

packages=(
  libarchive-dev zlib1g-dev libzstd-dev libssl-dev  # the C libraries Stevedore links
  skopeo umoci oci-image-tool podman runc      # judges of the images Stevedore writes
  busybox-static docker-registry               # a base image and a real registry for the tests
  apache2-utils openssl ca-certificates curl jq pigz zstd git python3 python3-yaml tar gzip time
  libc6-dev-i386 lib32gcc-12-dev               # `cc -m32` for the ELF resolver's 32-bit x86 test (not gcc-multilib:
                                               # it conflicts with gcc-aarch64-linux-gnu, and apt would remove one)
  gcc-aarch64-linux-gnu qemu-user-static       # arm64 programs for the multi-platform tests, run under qemu
  zlib1g-dev:arm64                             # the arm64 zlib those programs link (needs the arm64 architecture)
  tinyproxy                                    # an HTTP proxy for the HTTPS_PROXY/NO_PROXY tests
  stress-ng                                    # keeps a core busy while scripts/stress-tests.sh repeats the suites
  locales tzdata                               # a real second locale and time zone for the reproducibility test
  python3-venv                                 # a venv for spdx-tools (pyspdxtools), the judge of the SBOMs
)

# arm64 packages (zlib1g-dev:arm64) need dpkg to know the architecture.
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo dpkg --add-architecture arm64
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# pyspdxtools validates the SPDX documents Stevedore writes. Debian's pip refuses system-wide installs (PEP 668),
# so it lives in a venv of its own; the tests look for /opt/stevedore-venv/bin/pyspdxtools (or PYSPDXTOOLS).
venv=/opt/stevedore-venv
if [ ! -x "$venv/bin/pyspdxtools" ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo /usr/bin/python3 -m venv "$venv"
  $sudo "$venv/bin/pip" install --quiet --disable-pip-version-check spdx-tools
fi
