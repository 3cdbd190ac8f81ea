#!/bin/sh
# Writes OCI images the way the peer tools (umoci 0.4.7, skopeo 1.9.3) write them, one fixture per
# quirk of the OCI reference notes (oci.md), into DIR (which must exist):
#
#     peer_images.sh DIR KIND...
#
# KIND is one of (each builds what it needs first):
#   layers      umoci layout `layers`, tag `full`: four gzip layers and a rich config.
#               1. (umoci repack) busybox, etc/keep, etc/gone, gonedir/sub/x, d/a, o/old, srv (1234:5678, 0750)
#               2. (umoci repack) a file whiteout etc/.wh.gone, a directory whiteout .wh.gonedir, etc/new
#               3. (umoci raw add-layer) an opaque directory, marker first: o/, o/.wh..wh..opq, o/new
#               4. (umoci raw add-layer) quirk 4, the marker after a sibling: d/, d/z, d/.wh..wh..opq
#               config (umoci config): Entrypoint+Cmd, Env, User, WorkingDir, ExposedPorts, Volumes, Labels.
#               The zero-layer base image `umoci new` starts from is removed (umoci rm + gc).
#   zstd        `zstd`, tag `full`: `layers` copied by skopeo with --dest-compress-format zstd (quirk 6).
#   docker      `docker.tar`: `layers` copied by skopeo to docker-archive:docker.tar:example.com/x:1 (quirk 9).
#   mislabeled  `mislabeled`, tag `full`: docker.tar copied by skopeo to oci: with
#               --dest-oci-accept-uncompressed-layers: plain tars labelled tar+gzip (quirk 2).
#   insert      `insert`, tag `inserted`: `layers` plus two `umoci insert` layers without the tar
#               footer (quirk 1): a file at /etc/inserted, then a directory inserted at / (member `/`).
#   empty       `empty`, tag `empty`: what `umoci new` writes, a manifest with "layers":[] (quirk 3).
set -eu
fixture="$(cd "$(dirname "$0")" && pwd)/oci_fixture.py"
cd "$1"
shift

make_layers() {
    [ -d layers ] && return 0
    umoci init --layout layers
    umoci new --image layers:base
    umoci unpack --image layers:base base >/dev/null
    mkdir -p base/rootfs/bin base/rootfs/etc base/rootfs/gonedir/sub base/rootfs/d base/rootfs/o base/rootfs/srv
    cp /bin/busybox base/rootfs/bin/busybox
    ln -s busybox base/rootfs/bin/sh
    echo keep >base/rootfs/etc/keep
    echo gone >base/rootfs/etc/gone
    echo x >base/rootfs/gonedir/sub/x
    echo a >base/rootfs/d/a
    echo old >base/rootfs/o/old
    chown 1234:5678 base/rootfs/srv
    chmod 0750 base/rootfs/srv
    umoci repack --image layers:one base
    umoci unpack --image layers:one second >/dev/null
    rm second/rootfs/etc/gone
    rm -r second/rootfs/gonedir
    echo new >second/rootfs/etc/new
    umoci repack --image layers:two second
    python3 "$fixture" tar opaque-first.tar o/ o/.wh..wh..opq= o/new=fresh
    python3 "$fixture" tar opaque-after-sibling.tar d/ d/z=zed d/.wh..wh..opq=
    umoci raw add-layer --image layers:two --tag three opaque-first.tar
    umoci raw add-layer --image layers:three --tag four opaque-after-sibling.tar
    umoci config --image layers:four --tag full \
        --config.entrypoint /bin/sh --config.entrypoint -c --config.cmd 'echo hi' \
        --config.env FOO=bar --config.env PATH=/bin:/usr/bin --config.user 1000:100 --config.workingdir /srv \
        --config.exposedports 8080/tcp --config.exposedports 53/udp --config.volume /data \
        --config.label org.example.k=v --config.label maintainer=me
    for tag in base one two three four; do umoci rm --image layers:$tag; done
    umoci gc --layout layers
    rm -rf base second opaque-first.tar opaque-after-sibling.tar
}

make_zstd() {
    [ -d zstd ] && return 0
    make_layers
    skopeo copy -q --dest-compress-format zstd oci:layers:full oci:zstd:full
}

make_docker() {
    [ -f docker.tar ] && return 0
    make_layers
    skopeo copy -q oci:layers:full docker-archive:docker.tar:example.com/x:1
}

make_mislabeled() {
    [ -d mislabeled ] && return 0
    make_docker
    skopeo copy -q --dest-oci-accept-uncompressed-layers docker-archive:docker.tar oci:mislabeled:full
}

make_insert() {
    [ -d insert ] && return 0
    make_layers
    cp -a layers insert
    echo inserted >inserted.txt
    mkdir -p at-root/rootdir
    echo r >at-root/rootdir/r
    umoci insert --image insert:full --tag one inserted.txt /etc/inserted
    umoci insert --image insert:one --tag inserted at-root /
    umoci rm --image insert:one
    rm -rf inserted.txt at-root
}

make_empty() {
    [ -d empty ] && return 0
    umoci init --layout empty
    umoci new --image empty:empty
}

for kind in "$@"; do
    case "$kind" in
    layers | zstd | docker | mislabeled | insert | empty) "make_$kind" ;;
    *) echo "peer_images.sh: unknown kind $kind" >&2; exit 2 ;;
    esac
done
