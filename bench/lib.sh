# Shared helpers for the benchmark scripts: tool paths, a corpus tree, timing with hyperfine, ratios.
set -euo pipefail
BIN=${BIN:-$(cd "$(dirname "$0")/.." && swift build -c release --show-bin-path)}
WORK=${BENCH_WORK:-/var/tmp/rkt-bench}
mkdir -p "$WORK"

# corpus_tree DIR MB FILES: a copy of part of /usr/lib of about MB megabytes in about FILES files.
corpus_tree() {
  local dir=$1 megabytes=$2 files=$3
  if [ -f "$dir.complete" ]; then return; fi
  rm -rf "$dir"; mkdir -p "$dir/rootfs"
  local budget=$((megabytes * 1024 * 1024)) total=0 count=0
  while IFS= read -r -d '' file; do
    size=$(stat -c %s "$file")
    [ $((total + size)) -gt "$budget" ] && continue
    mkdir -p "$dir/rootfs$(dirname "$file")"
    cp -p "$file" "$dir/rootfs$file"
    total=$((total + size)); count=$((count + 1))
    [ "$count" -ge "$files" ] && break
  done < <(find /usr/lib /usr/share -type f -size -2M -print0 | sort -z)
  cat > "$dir/manifest" <<'JSON'
{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/bench","labels":[{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}]}
JSON
  echo "corpus: $count files, $((total / 1024 / 1024)) MB in $dir" >&2
  touch "$dir.complete"
}

# compare NAME PEER_COMMAND OUR_COMMAND [hyperfine args…]: median wall times and our/peer ratio.
compare() {
  local name=$1 peer=$2 ours=$3; shift 3
  hyperfine --style none --export-json "$WORK/$name.json" "$@" -n peer "$peer" -n ours "$ours" >/dev/null
  jq -r --arg name "$name" '
    (.results | map({(.command): .median}) | add) as $m
    | "\($name): peer \($m.peer | . * 1000 | round) ms, ours \($m.ours | . * 1000 | round) ms, ratio \($m.ours / $m.peer * 100 | round / 100)"' \
    "$WORK/$name.json"
}

# oci_images: in $WORK, oci-small (busybox, tag 1; tag multi with two umoci inserts) and oci-large
# (the 200 MB corpus, tag base; tag multi with two umoci inserts), made once.
oci_images() {
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
}
