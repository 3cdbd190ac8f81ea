#!/usr/bin/env bash
# Runs every benchmark; each prints peer and our median times and the ratio ours/peer.
set -euo pipefail
cd "$(dirname "$0")"
for script in actool.sh oci.sh sign.sh fetch.sh run.sh net.sh metadata.sh; do
  echo "## $script"
  ./"$script"
done
