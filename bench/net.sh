#!/usr/bin/env bash
# Pod networks: `rkt run` of a stored busybox image running /bin/true on the default CNI network
# against the same with --net=none (loopback only), medians side by side; then the time spent in
# the plugins themselves (ptp ADD and DEL, from stage1's --debug timings) over 20 runs, and what is
# left of the difference for rkt's own work. Needs root; changes the host's iptables as any pod on
# the default network does.
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "net.sh: pods need root" >&2; exit 1; }
cd "$WORK"

rm -rf net-bb net-bb.aci net-data net-etc net-lib
mkdir -p net-bb/rootfs/bin net-bb/rootfs/etc net-bb/rootfs/tmp net-etc net-lib
cp /bin/busybox net-bb/rootfs/bin/
for applet in sh true; do ln -s busybox "net-bb/rootfs/bin/$applet"; done
cat > net-bb/manifest <<'JSON'
{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/net-bench","labels":[{"name":"version","value":"1.0.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],"app":{"exec":["/bin/true"],"user":"0","group":"0"}}
JSON
"$BIN/actool" build --no-compression net-bb net-bb.aci

RKT="$BIN/rkt --dir $WORK/net-data --local-config $WORK/net-etc --system-config $WORK/net-lib --insecure-options=image"
ID=$($RKT fetch --full net-bb.aci)
$RKT run "$ID" >/dev/null                       # stores the built-in stage1 (first run only)
GC="$RKT gc --grace-period=0s >/dev/null"

compare net-default-vs-none "$RKT run --net=none $ID" "$RKT run $ID" --prepare "$GC" --warmup 3 --runs 30

# The plugins' own time: stage1 --debug says how long each ADD and DEL took.
runs=20
: > "$WORK/net-plugins.txt"
for i in $(seq $runs); do
  eval "$GC"
  $RKT --debug run "$ID" 2>&1 >/dev/null | sed -n 's/^stage1: network .*: \([0-9]*\) ms$/\1/p' | awk '{ s += $1 } END { print s + 0 }' >> "$WORK/net-plugins.txt"
done
plugins=$(sort -n "$WORK/net-plugins.txt" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
jq -r --argjson plugins "$plugins" '
  (.results | map({(.command): .median}) | add) as $m
  | (($m.ours - $m.peer) * 1000) as $difference
  | "plugins (ptp ADD + DEL), median of 20 runs: \($plugins) ms; default - none: \($difference | round) ms; rkt'"'"'s own share: \(($difference - $plugins) | round) ms"' \
  "$WORK/net-default-vs-none.json"
