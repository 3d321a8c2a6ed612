#!/usr/bin/env bash
# Packs prebuilt `stevedore` executables into an artifact bundle and writes the prebuilt plugin package: the same
# four command plugins (build-image, push-image, kamal-deploy, init-github-actions) whose `stevedore` tool is a
# `.binaryTarget` instead of this package's source, so a consumer who depends on it never compiles the tool.
#
#   scripts/make-artifact-bundle.sh --output DIR [--version V] [--url URL] BINARY:TRIPLE...
#
# BINARY:TRIPLE  a `stevedore` executable and the target triple it runs on, e.g.
#                dist/stevedore-amd64:x86_64-unknown-linux-gnu dist/stevedore-arm64:aarch64-unknown-linux-gnu
# --version V    the artifact's version in info.json (default: `git describe --tags --always` of this checkout)
# --url URL      where the release will serve DIR/stevedore.artifactbundle.zip; the package then declares
#                `.binaryTarget(name: "stevedore", url: URL, checksum: …)`. Without it, the bundle is copied into
#                the package and declared by path (a local install, and the tests).
#
# Writes into DIR (created; its previous bundle and package are replaced):
#   stevedore.artifactbundle/       info.json (schemaVersion 1.0, artifact `stevedore`, type executable, one
#                                   variant per triple) and stevedore-V-TRIPLE/bin/stevedore; without --url it is
#                                   written inside stevedore-plugins/ instead
#   stevedore.artifactbundle.zip    that directory zipped, and its checksum in stevedore.artifactbundle.zip.sha256
#                                   (with --url only)
#   stevedore-plugins/              the prebuilt plugin package: Package.swift and Plugins/ copied from this
#                                   checkout (symbolic links resolved)
#
# The plugin sources and their declarations are taken from this checkout (Plugins/ and the `.plugin(` entries of
# Package.swift), so the two packages cannot drift apart: there is one source of truth.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
usage() { sed -n '2,/^set -e/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2; exit 2; }

output= version= url=
binaries=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --output) output=${2:?--output needs a directory}; shift 2 ;;
        --version) version=${2:?--version needs a value}; shift 2 ;;
        --url) url=${2:?--url needs a URL}; shift 2 ;;
        -h|--help) usage ;;
        -*) echo "make-artifact-bundle: unknown option $1" >&2; usage ;;
        *) binaries+=("$1"); shift ;;
    esac
done
[[ -n $output ]] || { echo "make-artifact-bundle: --output DIR is required" >&2; usage; }
[[ ${#binaries[@]} -gt 0 ]] || { echo "make-artifact-bundle: give at least one BINARY:TRIPLE" >&2; usage; }
version=${version:-$(git -C "$root" describe --tags --always 2>/dev/null || echo 0.0.0)}

mkdir -p "$output"
output=$(cd "$output" && pwd)
package=$output/stevedore-plugins
rm -rf "$output/stevedore.artifactbundle" "$output/stevedore.artifactbundle.zip" "$output/stevedore.artifactbundle.zip.sha256" "$package"
# Served from a URL, the bundle is zipped beside the package; installed locally, it lies inside the package.
if [[ -n $url ]]; then bundle=$output/stevedore.artifactbundle; else bundle=$package/stevedore.artifactbundle; fi

# The bundle: one variant per triple.
mkdir -p "$bundle"
variants=()
seen=" "
for entry in "${binaries[@]}"; do
    binary=${entry%:*}
    triple=${entry##*:}
    [[ $entry == *:* && -n $binary && -n $triple ]] || { echo "make-artifact-bundle: '$entry' is not BINARY:TRIPLE" >&2; exit 2; }
    [[ -f $binary && -x $binary ]] || { echo "make-artifact-bundle: $binary is not an executable file" >&2; exit 1; }
    [[ $triple =~ ^[a-z0-9_]+-[a-z0-9_]+-[a-z0-9_]+(-[a-z0-9_]+)?$ ]] || { echo "make-artifact-bundle: '$triple' is not a target triple (e.g. x86_64-unknown-linux-gnu)" >&2; exit 2; }
    [[ $seen != *" $triple "* ]] || { echo "make-artifact-bundle: triple $triple is given twice" >&2; exit 2; }
    seen="$seen$triple "
    relative=stevedore-$version-$triple/bin/stevedore
    mkdir -p "$(dirname "$bundle/$relative")"
    cp "$binary" "$bundle/$relative"
    chmod 755 "$bundle/$relative"
    variants+=("        {\"path\": \"$relative\", \"supportedTriples\": [\"$triple\"]}")
done
{
    echo '{'
    echo '  "schemaVersion": "1.0",'
    echo '  "artifacts": {'
    echo '    "stevedore": {'
    echo "      \"version\": \"$version\","
    echo '      "type": "executable",'
    echo '      "variants": ['
    for ((i = 0; i < ${#variants[@]}; i++)); do
        if ((i + 1 < ${#variants[@]})); then echo "${variants[$i]},"; else echo "${variants[$i]}"; fi
    done
    echo '      ]'
    echo '    }'
    echo '  }'
    echo '}'
} >"$bundle/info.json"

# The package: the plugins' declarations from this checkout's Package.swift, their sources from Plugins/.
products=$(grep -E '^[[:space:]]*\.plugin\(name: "[A-Za-z]+", targets: \["[A-Za-z]+"\]\),$' "$root/Package.swift")
targets=$(awk '
    /^        \.plugin\($/ { inside = 1 }
    inside { print }
    inside && /^        \),$/ { inside = 0 }
' "$root/Package.swift")
names=$(grep -oE '^            name: "[A-Za-z]+",$' <<<"$targets" | sed -E 's/.*"([A-Za-z]+)".*/\1/')
count=$(wc -l <<<"$names")
[[ $count -eq 4 && $(wc -l <<<"$products") -eq 4 ]] || {
    echo "make-artifact-bundle: expected 4 plugins in $root/Package.swift, found $count targets and $(wc -l <<<"$products") products" >&2
    exit 1
}
# In the source package the plugins' tool dependency is `pluginTools` (none on Linux: they build the tool themselves);
# here every plugin depends on the prebuilt tool.
[[ $(grep -c 'dependencies: pluginTools' <<<"$targets") -eq 4 ]] || { echo "make-artifact-bundle: expected each plugin's 'dependencies: pluginTools' in $root/Package.swift" >&2; exit 1; }
targets=${targets//dependencies: pluginTools/dependencies: [\"stevedore\"]}

mkdir -p "$package/Plugins"
for name in $names; do
    [[ -d $root/Plugins/$name ]] || { echo "make-artifact-bundle: $root/Plugins/$name is missing" >&2; exit 1; }
    cp -RL "$root/Plugins/$name" "$package/Plugins/$name"
done

if [[ -n $url ]]; then
    (cd "$output" && zip -qry stevedore.artifactbundle.zip stevedore.artifactbundle)
    # What `swift package compute-checksum` prints: the SHA-256 of the archive.
    checksum=$(swift package --package-path "$package" compute-checksum "$bundle.zip" 2>/dev/null || sha256sum "$bundle.zip" | cut -d' ' -f1)
    echo "$checksum" >"$bundle.zip.sha256"
    binary_target="        .binaryTarget(
            name: \"stevedore\",
            url: \"$url\",
            checksum: \"$checksum\"
        ),"
else
    binary_target='        .binaryTarget(name: "stevedore", path: "stevedore.artifactbundle"),'
fi

cat >"$package/Package.swift" <<SWIFT
// swift-tools-version: 6.0
// Generated by scripts/make-artifact-bundle.sh from Stevedore $version: do not edit, regenerate.
import PackageDescription

// Stevedore's command plugins with a prebuilt \`stevedore\` (an artifact bundle): depending on this package instead
// of Stevedore's source package, a consumer never compiles the tool.
let package = Package(
    name: "StevedorePlugins",
    products: [
$products
    ],
    targets: [
        // The prebuilt tool: one executable per target triple.
$binary_target

$targets
    ]
)
SWIFT
cat >"$package/.gitignore" <<'IGNORE'
.build/
IGNORE

echo "artifact bundle:  $bundle"
[[ -z $url ]] || echo "archive:          $bundle.zip (checksum $(cat "$bundle.zip.sha256"))"
echo "plugin package:   $package"
