#!/usr/bin/env bash
# The suite's demo: build an App Container Image from a busybox layout, validate it, show its manifest.
# It grows until it builds → signs → trusts → fetches → runs.
set -euo pipefail
BIN=${BIN:?set BIN to the directory of the built tools}
work=$(mktemp -d /tmp/rkt-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Lay out an image: manifest + rootfs with a static busybox"
mkdir -p "$work/layout/rootfs/bin"
cp /bin/busybox "$work/layout/rootfs/bin/busybox"
for tool in sh echo cat ls; do ln -s busybox "$work/layout/rootfs/bin/$tool"; done
cat > "$work/layout/manifest" <<'JSON'
{
  "acKind": "ImageManifest",
  "acVersion": "0.8.11",
  "name": "example.com/hello",
  "labels": [
    {"name": "version", "value": "1.0.0"},
    {"name": "os", "value": "linux"},
    {"name": "arch", "value": "amd64"}
  ],
  "app": {
    "exec": ["/bin/sh", "-c", "echo Hello from an App Container"],
    "user": "0",
    "group": "0"
  },
  "annotations": [{"name": "created", "value": "2026-01-01T00:00:00Z"}]
}
JSON
find "$work/layout" | sed "s#$work/##" | sort

step "actool build layout hello.aci (reproducible: built twice, same bytes)"
SOURCE_DATE_EPOCH=1767225600 "$BIN/actool" build --owner-root "$work/layout" "$work/hello.aci"
SOURCE_DATE_EPOCH=1767225600 "$BIN/actool" build --owner-root "$work/layout" "$work/again.aci"
cmp "$work/hello.aci" "$work/again.aci" && echo "identical: $(sha256sum < "$work/hello.aci" | cut -c1-16)…"
ls -l "$work/hello.aci"

step "actool validate hello.aci"
"$BIN/actool" --debug validate "$work/hello.aci"

step "actool cat-manifest --pretty-print hello.aci"
"$BIN/actool" cat-manifest --pretty-print "$work/hello.aci"

if command -v /usr/bin/actool >/dev/null; then
  step "The reference actool (Go) accepts it too"
  /usr/bin/actool validate "$work/hello.aci" && echo "reference actool: valid"
fi
