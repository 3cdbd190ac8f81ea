#!/usr/bin/env bash
# The metadata service under load: `rkt metadata-service` on a free port, one registered pod,
# 1,000 requests a second paced from 10 concurrent clients for 20 s (bench/metadata-load.py: the
# API's GET endpoints and HMAC signing in turn), over kept-alive connections and with a new
# connection per request; prints the rate achieved, the latency p50/p99/max and the CPU time the
# service used. Needs root.
source "$(dirname "$0")/lib.sh"
[ "$(id -u)" = 0 ] || { echo "metadata.sh: the metadata service needs root" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
cd "$WORK"

export RKT_METADATA_SOCKET="$WORK/mds.sock"
coproc SERVICE { exec "$BIN/rkt" metadata-service --listen-port=0 2>"$WORK/mds.err"; }
trap 'kill "$SERVICE_PID" 2>/dev/null; wait "$SERVICE_PID" 2>/dev/null || true' EXIT
read -r port <&"${SERVICE[0]}"
seconds=${MDS_SECONDS:-20}
ticks=$(getconf CLK_TCK)
cpu() { awk '{ print $14 + $15 }' "/proc/$SERVICE_PID/stat"; }   # user + system time, in ticks
for mode in keepalive close; do
  before=$(cpu)
  python3 "$here/metadata-load.py" "$RKT_METADATA_SOCKET" "$port" 1000 10 "$seconds" "$mode"
  echo "  service CPU: $(( ($(cpu) - before) * 1000 / ticks )) ms for $((seconds * 1000)) requests"
done
