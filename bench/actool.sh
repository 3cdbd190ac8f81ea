#!/usr/bin/env bash
# actool against the reference (Debian appc-spec, Go): build (gzip) and validate of a ~200 MB tree of
# ~10,000 files, and our peak memory building and validating a ~1 GB tree.
source "$(dirname "$0")/lib.sh"
REF=/usr/bin/actool
corpus_tree "$WORK/tree200" 200 10000

compare actool-build \
  "$REF build --overwrite $WORK/tree200 $WORK/ref.aci" \
  "$BIN/actool build --overwrite $WORK/tree200 $WORK/ours.aci" \
  --warmup 1 --runs 5
compare actool-validate \
  "$REF validate $WORK/ref.aci" \
  "$BIN/actool validate $WORK/ref.aci" \
  --warmup 1 --runs 5
compare actool-validate-own-output \
  "$REF validate $WORK/ours.aci" \
  "$BIN/actool validate $WORK/ours.aci" \
  --warmup 1 --runs 5
ls -l "$WORK/ref.aci" "$WORK/ours.aci" | awk '{print "size: " $5 " " $9}'

# Peak memory on a ~1 GB tree: five copies of the 200 MB tree.
big=$WORK/tree1g
if [ ! -f "$big.complete" ]; then
  rm -rf "$big"; mkdir -p "$big/rootfs"
  for i in 1 2 3 4 5; do cp -a "$WORK/tree200/rootfs" "$big/rootfs/copy$i"; done
  cp "$WORK/tree200/manifest" "$big/manifest"; touch "$big.complete"
fi
rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
echo "peak RSS, build of 1 GB tree: ours $(( $(rss "$BIN/actool" build --overwrite "$big" "$WORK/big.aci") / 1024 )) MB, peer $(( $(rss $REF build --overwrite "$big" "$WORK/bigref.aci") / 1024 )) MB"
echo "peak RSS, validate of 1 GB image: ours $(( $(rss "$BIN/actool" validate "$WORK/big.aci") / 1024 )) MB"
