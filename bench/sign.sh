#!/usr/bin/env bash
# rkt-sign verify of a ~100 MB image (gzip ACI of random data, signed by rkt-sign, key trusted for its
# prefix in a scratch trust store) against `gpgv --keyring K sig image` on the same files, same run.
# Two of ours: the name read from the image's manifest (a full scan of the archive, as rkt does) and
# the name given with --name (the signature check alone, like gpgv).
source "$(dirname "$0")/lib.sh"
dir=$WORK/sign
# GnuPG homes need short paths (agent sockets); kill every daemon we may have started on exit.
gnupg=$(mktemp -d /tmp/rkt-bench-gpg.XXXXXX)
gpgv_home=$(mktemp -d /tmp/rkt-bench-gpgv.XXXXXX)
cleanup() {
  gpgconf --homedir "$gnupg" --kill all 2>/dev/null || true
  gpgconf --homedir "$gpgv_home" --kill all 2>/dev/null || true
  rm -rf "$gnupg" "$gpgv_home"
}
trap cleanup EXIT

if [ ! -f "$dir.complete" ]; then
  rm -rf "$dir"; mkdir -p "$dir/layout/rootfs"
  head -c 100000000 /dev/urandom > "$dir/layout/rootfs/random.bin"
  cat > "$dir/layout/manifest" <<'JSON'
{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/bench/signed","labels":[{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}]}
JSON
  "$BIN/actool" build --overwrite "$dir/layout" "$dir/image.aci"
  rm -rf "$dir/layout"
  touch "$dir.complete"
fi

# A fresh key each run (not kept: a GnuPG home with secret keys should not outlive the run).
"$BIN/rkt-sign" keygen --name "Bench Signer" --email bench@example.com --homedir "$gnupg" \
  --export-public "$dir/key.asc" >/dev/null
"$BIN/rkt-sign" sign --homedir "$gnupg" "$dir/image.aci"
gpg --homedir "$gnupg" --batch --export > "$dir/keyring.gpg"
rm -rf "$dir/store"
"$BIN/rkt-trust" add --local-config "$dir/store/local" --system-config "$dir/store/system" \
  --prefix example.com/bench --skip-fingerprint-review "$dir/key.asc" >/dev/null 2>&1
store="--local-config $dir/store/local --system-config $dir/store/system"

# Both must accept the signature before timing them.
gpgv --homedir "$gpgv_home" --keyring "$dir/keyring.gpg" "$dir/image.aci.asc" "$dir/image.aci" 2>/dev/null
"$BIN/rkt-sign" verify $store "$dir/image.aci" >/dev/null
echo "image: $(stat -c %s "$dir/image.aci") bytes" >&2

compare sign-verify-100mb \
  "gpgv --homedir $gpgv_home --keyring $dir/keyring.gpg $dir/image.aci.asc $dir/image.aci" \
  "$BIN/rkt-sign verify $store $dir/image.aci" \
  --warmup 1 --runs 10
compare sign-verify-100mb-name-given \
  "gpgv --homedir $gpgv_home --keyring $dir/keyring.gpg $dir/image.aci.asc $dir/image.aci" \
  "$BIN/rkt-sign verify $store --name example.com/bench/signed $dir/image.aci" \
  --warmup 1 --runs 10
