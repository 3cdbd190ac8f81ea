#!/usr/bin/env bash
# Pods: `rkt run` of a stored busybox image running /bin/true (ns flavor with --net=none — a
# network namespace with loopback, as the OCI bundles have — and --net=host, and the fly flavor;
# the default CNI network is bench/net.sh's) against `crun run` and `runc run` of the same rootfs as an OCI
# bundle (`umoci unpack` of the image `actool build --format oci` makes from the same layout);
# medians side by side with ratios. Then where a pod's start goes: rkt start → pid file (stage0 and
# stage1 up to the pod's init) → app exec (the init's setup) → rkt exit, from file times over 20
# runs, and the execve timeline of one run under strace. Needs root.
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "run.sh: pods need root" >&2; exit 1; }
cd "$WORK"

# The layout: busybox with a few applets; the app is /bin/true.
rm -rf run-bb run-bb.aci run-oci run-bundle-runc run-bundle-crun run-data run-etc run-lib run-out
mkdir -p run-bb/rootfs/bin run-bb/rootfs/etc run-bb/rootfs/tmp run-etc run-lib run-out
cp /bin/busybox run-bb/rootfs/bin/
for applet in sh true touch; do ln -s busybox "run-bb/rootfs/bin/$applet"; done
cat > run-bb/manifest <<'JSON'
{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/run-bench","labels":[{"name":"version","value":"1.0.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],"app":{"exec":["/bin/true"],"user":"0","group":"0"}}
JSON
"$BIN/actool" build --no-compression run-bb run-bb.aci
"$BIN/actool" build --format oci --tag bench run-bb run-oci

# OCI bundles: runc as umoci makes it (terminal off); crun without .linux.resources (oci.md: no
# CAP_SYS_RESOURCE, no eBPF device filter here) in a mount namespace showing cgroup2 alone.
for runtime in runc crun; do
  umoci unpack --image run-oci:bench "run-bundle-$runtime" >/dev/null
  filter='.process.terminal = false | .process.args = ["/bin/true"]'
  [ "$runtime" = crun ] && filter="$filter | del(.linux.resources)"
  jq "$filter" "run-bundle-$runtime/config.json" > "run-bundle-$runtime/config.tmp"
  mv "run-bundle-$runtime/config.tmp" "run-bundle-$runtime/config.json"
done

# rkt: its own data and configuration directories; the image fetched once, run by ID.
RKT="$BIN/rkt --dir $WORK/run-data --local-config $WORK/run-etc --system-config $WORK/run-lib --insecure-options=image"
ID=$($RKT fetch --full run-bb.aci)
$RKT run "$ID" >/dev/null                       # stores the built-in stage1 (first run only)
$RKT run --stage1-name=fly "$ID" >/dev/null
GC="$RKT gc --grace-period=0s >/dev/null"       # between runs, so pods/ does not grow

CRUN="unshare -m sh -c 'mount --bind /sys/fs/cgroup/unified /sys/fs/cgroup && crun run -b $WORK/run-bundle-crun bench-crun'"
RUNC="runc run -b $WORK/run-bundle-runc bench-runc"
FLOOR="unshare --pid --mount --uts --ipc --net --fork chroot $WORK/run-bundle-runc/rootfs /bin/true"

compare run-true-vs-crun "$CRUN" "$RKT run --net=none $ID" --prepare "$GC" --warmup 3 --runs 30
compare run-true-vs-runc "$RUNC" "$RKT run --net=none $ID" --prepare "$GC" --warmup 3 --runs 30
compare run-true-net-host-vs-crun "$CRUN" "$RKT run --net=host $ID" --prepare "$GC" --warmup 3 --runs 30
compare run-true-fly-vs-crun "$CRUN" "$RKT run --stage1-name=fly $ID" --prepare "$GC" --warmup 3 --runs 30
hyperfine --style none --export-json "$WORK/run-floor.json" --warmup 3 --runs 30 "$FLOOR" >/dev/null
jq -r '"floor (unshare --pid --mount --uts --ipc --net --fork chroot … /bin/true): \(.results[0].median * 1000 | . * 10 | round / 10) ms"' "$WORK/run-floor.json"

# Pod start to app exec: the app touches a file in a host volume (its mtime = the app's exec, to a
# few µs); the pid file's mtime = stage1 has started the pod's init; date before and after rkt run.
runs=20
: > "$WORK/run-phases.txt"
for i in $(seq $runs); do
  eval "$GC"
  rm -f run-out/stamp run-uuid
  start=$(date +%s%N)
  $RKT run --net=none --uuid-file-save="$WORK/run-uuid" --volume=out,kind=host,source="$WORK/run-out" "$ID" \
    --mount=volume=out,target=/out --exec=/bin/touch -- /out/stamp
  end=$(date +%s%N)
  uuid=$(cat run-uuid)
  pid=$(stat -c '%.9Y' "run-data/pods/run/$uuid/pid" | tr -d .)
  stamp=$(stat -c '%.9Y' run-out/stamp | tr -d .)
  echo "$(( (pid - start) / 1000 )) $(( (stamp - pid) / 1000 )) $(( (end - stamp) / 1000 )) $(( (end - start) / 1000 ))" >> "$WORK/run-phases.txt"
done
median() { sort -n | awk '{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%.1f", m / 1000}'; }
echo "pod phases, medians of $runs runs (ms): rkt start→pid file $(cut -d' ' -f1 "$WORK/run-phases.txt" | median)," \
  "pid file→app exec $(cut -d' ' -f2 "$WORK/run-phases.txt" | median)," \
  "app exec→rkt exit $(cut -d' ' -f3 "$WORK/run-phases.txt" | median)," \
  "total $(cut -d' ' -f4 "$WORK/run-phases.txt" | median)"

# One run under strace: every execve with its time relative to the first (strace slows things down).
eval "$GC"
strace -f -tt -e trace=execve -o "$WORK/run-strace.txt" $RKT run "$ID" >/dev/null 2>&1 || true
awk '/execve\(/ && !/ENOENT/ {
       split($2, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]; if (!first) first = s
       match($0, /execve\("[^"]*"/); path = substr($0, RSTART + 8, RLENGTH - 9)
       printf "  +%7.1f ms  pid %-7s %s\n", (s - first) * 1000, $1, path }
     /exited with/ { split($2, t, ":"); s = t[1] * 3600 + t[2] * 60 + t[3]; last = s }
     END { printf "  +%7.1f ms  last exit\n", (last - first) * 1000 }' "$WORK/run-strace.txt" | sed 's/^/strace execve: /'
eval "$GC"
