#!/usr/bin/env bash
# OCI: flattening a layout into a directory against `umoci unpack` (single-layer busybox, a small
# multi-layer image, a ~200 MB multi-layer image), and SHA-256 throughput against `openssl speed`.
source "$(dirname "$0")/lib.sh"
corpus_tree "$WORK/tree200" 200 10000
cd "$WORK"

# Images: busybox (one layer), small three-layer (umoci), large three-layer (200 MB base + two umoci inserts).
if [ ! -d oci-small ]; then
  rm -rf bb && mkdir -p bb/rootfs/bin && cp /bin/busybox bb/rootfs/bin/ && ln -s busybox bb/rootfs/bin/sh
  echo '{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/busybox","labels":[{"name":"version","value":"1"}],"app":{"exec":["/bin/sh"],"user":"0","group":"0"}}' > bb/manifest
  "$BIN/actool" build --format oci bb oci-small
  skopeo copy -q oci:oci-small:1 oci:oci-small:multi
  mkdir -p extra/etc extra/usr/share && echo hello > extra/etc/motd && cp -r /usr/share/doc/bash extra/usr/share/ 2>/dev/null || true
  umoci insert --image oci-small:multi extra/etc /etc >/dev/null
  umoci insert --image oci-small:multi extra/usr /usr >/dev/null
fi
if [ ! -d oci-large ]; then
  "$BIN/actool" build --format oci --tag base tree200 oci-large
  skopeo copy -q oci:oci-large:base oci:oci-large:multi
  umoci insert --image oci-large:multi /usr/share/doc /usr/share/doc >/dev/null
  umoci insert --image oci-large:multi /usr/share/man /usr/share/man >/dev/null
fi

flatten() {
  local name=$1 image=$2
  compare "$name" \
    "rm -rf $WORK/u && umoci unpack --image $image $WORK/u >/dev/null" \
    "rm -rf $WORK/o && $BIN/actool unpack --name example.com/bench $image $WORK/o" \
    --warmup 2 --runs 10
}
flatten flatten-busybox oci-small:1
flatten flatten-small-3-layers oci-small:multi
flatten flatten-large-3-layers oci-large:multi
rm -rf "$WORK/u" "$WORK/o"

# SHA-256: our streaming hash of a 1 GB file in the page cache against OpenSSL's in-memory speed.
head -c 1000000000 /dev/urandom > "$WORK/hash.bin"
cat "$WORK/hash.bin" > /dev/null
hyperfine --style none --export-json "$WORK/hash.json" --warmup 1 --runs 5 "$BIN/actool digest $WORK/hash.bin" >/dev/null
ours=$(jq '.results[0].median' "$WORK/hash.json")
speed=$(openssl speed -bytes 1048576 -seconds 3 sha256 2>/dev/null | awk '/^sha256/ {print $2}' | tr -d k)
jq -n --argjson t "$ours" --argjson k "$speed" \
  '"sha256: ours \(1000 / $t | round) MB/s (1 GB file, wall time with start-up), openssl speed \($k / 1000 | round) MB/s, ratio \((1000 / $t) / ($k / 1000) * 100 | round / 100)"' -r
rm -f "$WORK/hash.bin"
