#!/usr/bin/env bash
# OCI: flattening a layout into a directory against `umoci unpack` (single-layer busybox, a small
# multi-layer image, a ~200 MB multi-layer image), and SHA-256 throughput against `openssl speed`.
source "$(dirname "$0")/lib.sh"
corpus_tree "$WORK/tree200" 200 10000
cd "$WORK"

oci_images

# flatten NAME IMAGE RUNS: small images take more runs (a few ms of noise is a large share of them).
flatten() {
  local name=$1 image=$2 runs=$3
  compare "$name" \
    "rm -rf $WORK/u && umoci unpack --image $image $WORK/u >/dev/null" \
    "rm -rf $WORK/o && $BIN/actool unpack --name example.com/bench $image $WORK/o" \
    --warmup 2 --runs "$runs"
}
flatten flatten-busybox oci-small:1 40
flatten flatten-small-3-layers oci-small:multi 40
flatten flatten-large-3-layers oci-large:multi 10
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
