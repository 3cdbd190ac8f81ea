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
