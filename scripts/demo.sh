#!/usr/bin/env bash
# The suite's demo: build an App Container Image from a busybox layout, sign it, trust the signing key,
# fetch the image into a store (its signature checked) and run it as a pod. Everything stays in a
# temporary directory: its own GnuPG home, trust store (--local-config) and data directory (--dir).
set -euo pipefail
BIN=${BIN:?set BIN to the directory of the built tools}
work=$(mktemp -d /tmp/rkt-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "Lay out an image: manifest + rootfs with a static busybox"
mkdir -p "$work/layout/rootfs/bin"
cp /bin/busybox "$work/layout/rootfs/bin/busybox"
for tool in sh echo cat ls id hostname; do ln -s busybox "$work/layout/rootfs/bin/$tool"; done
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
    "exec": ["/bin/sh", "-c", "echo Hello from an App Container, pid $$, as $(id -u) on $(hostname)"],
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

step "rkt-sign keygen: a release key (ed25519, no passphrase) in its own GnuPG home"
"$BIN/rkt-sign" keygen --name "Demo Releases" --email releases@example.com --expire 30d \
  --homedir "$work/gnupg" --export-public "$work/releases.pub"
head -3 "$work/releases.pub"

step "rkt-sign sign hello.aci → hello.aci.asc (armored detached, as gpg --armor --detach-sign)"
"$BIN/rkt-sign" sign --homedir "$work/gnupg" "$work/hello.aci"
head -3 "$work/hello.aci.asc"

step "rkt-trust add: trust the key for the prefix example.com/hello"
"$BIN/rkt-trust" add --local-config "$work/etc" --prefix example.com/hello --skip-fingerprint-review "$work/releases.pub"
"$BIN/rkt-trust" list --local-config "$work/etc"

step "rkt-sign verify: the signature against the trust store"
"$BIN/rkt-sign" verify --local-config "$work/etc" "$work/hello.aci"

step "A tampered copy is refused"
cp "$work/hello.aci" "$work/tampered.aci"
printf 'x' >> "$work/tampered.aci"
cp "$work/hello.aci.asc" "$work/tampered.aci.asc"
if "$BIN/rkt" --dir "$work/data" --local-config "$work/etc" fetch "$work/tampered.aci"; then
  echo "the tampered image was accepted" >&2; exit 1
fi

step "rkt fetch hello.aci: verified, then kept in the content-addressed store"
rkt=("$BIN/rkt" --dir "$work/data" --local-config "$work/etc")
id=$("${rkt[@]}" fetch "$work/hello.aci")
echo "$id"
"${rkt[@]}" image list

step "rkt run: the image as a pod (namespaces, a 64 MB memory cgroup, overlay rootfs; the stage1 \"ns\" flavor)"
"${rkt[@]}" run --uuid-file-save="$work/pod.uuid" "$id" --memory=64M
"${rkt[@]}" list
"${rkt[@]}" status "$(cat "$work/pod.uuid")"

step "rkt run with arguments, then clean up the pods"
"${rkt[@]}" run example.com/hello:1.0.0 --exec /bin/echo -- "arguments reach the app"
"${rkt[@]}" gc --grace-period=0s
"${rkt[@]}" list
