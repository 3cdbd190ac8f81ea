#!/usr/bin/env bash
# Prepares DIR so that `PKG_CONFIG_PATH=DIR swift build -c release` links libarchive, GPGME,
# libcrypto, SQLite, libseccomp, libdeflate and libstdc++ statically (Debian's -dev packages ship the .a
# files). A tool then starts without loading and binding some twenty shared objects (libarchive
# alone brings libxml2 and ICU). SwiftPM reads the .pc files here instead of the system's; their
# -L comes first on the link line, so every -l of these libraries, GRDB's -lsqlite3 included,
# finds the archive here. zstd and lz4 stay shared: two small libraries whose static link made no
# measurable difference (bench/RESULTS.md).
set -euo pipefail
dir=${1:?usage: static-libs.sh DIR}
multiarch=/usr/lib/$(uname -m)-linux-gnu
mkdir -p "$dir"
for lib in archive z lzma bz2 gpgme assuan gpg-error crypto sqlite3 seccomp deflate; do
  [ -f "$multiarch/lib$lib.a" ] || { echo "static-libs.sh: $multiarch/lib$lib.a is missing" >&2; exit 1; }
  ln -sf "$multiarch/lib$lib.a" "$dir/lib$lib.a"
done
# The Swift runtime's C++ library too (the driver's own -lstdc++ finds it here): one shared
# object fewer to map and bind at each start.
libstdcxx=$(clang -print-file-name=libstdc++.a)  # the Swift toolchain's clang, which finds GCC's
[ -f "$libstdcxx" ] || { echo "static-libs.sh: libstdc++.a is missing (libstdc++-12-dev)" >&2; exit 1; }
ln -sf "$libstdcxx" "$dir/libstdc++.a"
pc() {
  printf 'Name: %s\nDescription: %s linked statically\nVersion: static\nLibs: -L%s %s\nCflags:\n' \
    "$1" "$1" "$(cd "$dir" && pwd)" "$2" > "$dir/$1.pc"
}
pc libarchive "-larchive -l:libzstd.so.1 -l:liblz4.so.1 -llzma -lbz2 -lz"
pc gpgme "-lgpgme -lassuan -lgpg-error"
pc libcrypto "-lcrypto"
pc libdeflate "-ldeflate"
pc libseccomp "-lseccomp"
