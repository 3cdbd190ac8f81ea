#!/usr/bin/env bash
# rkt fetch and the image store: `rkt fetch --insecure-options=image oci:LAYOUT:TAG` into a fresh
# --dir (the image is stored as an ACI and rendered into the tree store) against `umoci unpack` of
# the same layout, for busybox (one layer), the ~200 MB base of oci.sh's large image (one layer)
# and that image with two more layers (~200 MB, three layers); then `rkt image list` (table and
# JSON) over a store of 1,000 images.
source "$(dirname "$0")/lib.sh"
corpus_tree "$WORK/tree200" 200 10000
cd "$WORK"

oci_images

# Debian's umoci 0.4.7 writes `umoci insert` layers without the last member's padding and the
# end-of-archive blocks (GNU tar and libarchive stop with "Unexpected EOF"; umoci and skopeo read
# them), so the large image is also built with its two extra layers written by GNU tar instead:
# oci-large-gnutar:multi = oci-large:base + /usr/share/doc + /usr/share/man.
if [ ! -d oci-large-gnutar ]; then
  skopeo copy -q oci:oci-large:base oci:oci-large-gnutar:base
  for dir in /usr/share/doc /usr/share/man; do
    tar -C / --sort=name -czf "layer-$(basename "$dir").tar.gz" "${dir#/}"
  done
  python3 - oci-large-gnutar base multi layer-doc.tar.gz layer-man.tar.gz <<'PY'
import gzip, hashlib, json, os, shutil, sys
layout, source_tag, tag, layers = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
blobs = os.path.join(layout, "blobs", "sha256")
def read(digest): return open(os.path.join(blobs, digest.split(":")[1]), "rb").read()
def write(data):
    digest = hashlib.sha256(data).hexdigest()
    open(os.path.join(blobs, digest), "wb").write(data)
    return "sha256:" + digest, len(data)
index = json.load(open(os.path.join(layout, "index.json")))
entry = next(m for m in index["manifests"] if m["annotations"]["org.opencontainers.image.ref.name"] == source_tag)
manifest = json.loads(read(entry["digest"]))
config = json.loads(read(manifest["config"]["digest"]))
for layer in layers:
    data = open(layer, "rb").read()
    digest, size = write(data)
    manifest["layers"].append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": size})
    config["rootfs"]["diff_ids"].append("sha256:" + hashlib.sha256(gzip.decompress(data)).hexdigest())
    config.setdefault("history", []).append({"created_by": "tar -czf " + layer})
digest, size = write(json.dumps(config).encode())
manifest["config"]["digest"], manifest["config"]["size"] = digest, size
digest, size = write(json.dumps(manifest).encode())
new = dict(entry, digest=digest, size=size, annotations={"org.opencontainers.image.ref.name": tag})
index["manifests"] = [m for m in index["manifests"] if m["annotations"]["org.opencontainers.image.ref.name"] != tag] + [new]
json.dump(index, open(os.path.join(layout, "index.json"), "w"))
PY
  rm -f layer-doc.tar.gz layer-man.tar.gz
fi

# Every rkt command gets its own data and configuration directories (never /var/lib/rkt, /etc/rkt).
mkdir -p "$WORK/fetch-etc" "$WORK/fetch-lib"
rkt() { "$BIN/rkt" --local-config "$WORK/fetch-etc" --system-config "$WORK/fetch-lib" "$@"; }
RKT="$BIN/rkt --local-config $WORK/fetch-etc --system-config $WORK/fetch-lib"

fetch_vs_unpack() {
  local name=$1 image=$2 runs=$3
  compare "$name" \
    "umoci unpack --image $WORK/$image $WORK/fetch-umoci >/dev/null" \
    "$RKT --dir $WORK/fetch-data --insecure-options=image fetch oci:$WORK/$image >/dev/null" \
    --prepare "rm -rf $WORK/fetch-umoci $WORK/fetch-data" --warmup 1 --runs "$runs"
}
fetch_vs_unpack fetch-oci-busybox oci-small:1 40
fetch_vs_unpack fetch-oci-large-1-layer oci-large:base 5
fetch_vs_unpack fetch-oci-large-3-layers oci-large-gnutar:multi 5
echo "store after the large fetch: $(du -sm "$WORK/fetch-data" | cut -f1) MB (ACI blob + rendered tree)"
rm -rf "$WORK/fetch-umoci" "$WORK/fetch-data"

# 1,000 tiny distinct images (one manifest name each, uncompressed tars written by Python), imported
# with a few rkt fetch invocations.
store=$WORK/list-store
rm -rf "$store" "$WORK/tiny" && mkdir -p "$WORK/tiny"
start=$(date +%s.%N)
python3 - "$WORK/tiny" <<'PY'
import io, json, sys, tarfile
out = sys.argv[1]
for i in range(1000):
    manifest = json.dumps({"acKind": "ImageManifest", "acVersion": "0.8.11", "name": "example.com/tiny/image-%04d" % i,
                           "labels": [{"name": "version", "value": "1.0.%d" % i}, {"name": "os", "value": "linux"},
                                      {"name": "arch", "value": "amd64"}]}).encode()
    with tarfile.open("%s/image-%04d.aci" % (out, i), "w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in (("manifest", manifest), ("rootfs", None), ("rootfs/etc", None), ("rootfs/etc/id", b"%d\n" % i)):
            info = tarfile.TarInfo(name)
            if data is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            else:
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
PY
built=$(date +%s.%N)
find "$WORK/tiny" -name '*.aci' -print0 | sort -z | xargs -0 -n 250 "$BIN/rkt" --dir "$store" --local-config "$WORK/fetch-etc" \
  --system-config "$WORK/fetch-lib" --insecure-options=image fetch >/dev/null
imported=$(date +%s.%N)
count=$(rkt --dir "$store" image list --no-legend | wc -l)
awk -v n="$count" -v a="$start" -v b="$built" -v c="$imported" \
  'BEGIN { printf "setup: %d images in the store; building the ACIs %.1f s, rkt fetch of all %.1f s\n", n, b - a, c - b }'

hyperfine --style none --export-json "$WORK/image-list.json" --warmup 2 --runs 10 \
  -n table "$RKT --dir $store image list" \
  -n json "$RKT --dir $store image list --format json" >/dev/null
jq -r '.results[] | "image list (\(.command), 1,000 images): median \(.median * 1000 | round) ms, min \(.min * 1000 | round) ms"' "$WORK/image-list.json"
rm -rf "$WORK/tiny"
