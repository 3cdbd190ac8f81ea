#!/usr/bin/env python3
"""Writes OCI test fixtures at test time: layer tars (hostile ones too), OCI image layouts
assembled by hand with correct digests, a fast gzip bomb, and corruptions of a blob.

    oci_fixture.py tar OUT [--gzip] MEMBER...
        A tar written exactly as told (PAX format, nothing cleaned or refused). MEMBER is any
        member of testdata/actool/make_tar.py (NAME/, NAME=TEXT, NAME=@FILE, NAME=@zeros:SIZE,
        NAME->TARGET, NAME=>TARGET, NAME|) or a device node NAME%c:MAJOR:MINOR (character) or
        NAME%b:MAJOR:MINOR (block). --gzip compresses it as one gzip stream (mtime 0).

    oci_fixture.py bomb OUT SIZE
        A gzip layer (compression level 1, like gzip -1) holding one file `zero` of SIZE zero bytes
        (SIZE may end in K, M or G). The 1 MiB zero block is deflated once and its gzip member
        repeated, so a 1 GiB bomb takes well under a second. Prints the layer's diff_id.

    oci_fixture.py layout OUT [--tag TAG] [--config JSON] [--os OS] [--arch ARCH] LAYER...
        An OCI image layout: oci-layout, index.json tagging one manifest (mediaType included),
        a config (JSON is its `config` section; os and arch default to linux and the host's) and
        the layer blobs, stored verbatim. LAYER is FILE[,type=MEDIATYPE][,diffid=DIGEST]: the media
        type defaults to what the magic bytes say (tar+gzip, tar+zstd, tar), the diff_id to the
        sha256 of the decompressed bytes. Prints the layer digests, one a line.

    oci_fixture.py flip FILE [OFFSET]
        Changes one byte of FILE in place (at OFFSET, default the middle): every bit inverted.

    oci_fixture.py truncate FILE
        Cuts FILE to half its size, in place.
"""
import gzip
import hashlib
import io
import json
import os
import platform
import re
import subprocess
import sys
import tarfile
import zlib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "actool"))
import make_tar  # noqa: E402

BLOCK = 1 << 20
GO_ARCH = {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "arm", "i686": "386", "ppc64le": "ppc64le",
           "s390x": "s390x", "riscv64": "riscv64"}


def member(spec):
    device = re.fullmatch(r"(.+)%([cb]):([0-9]+):([0-9]+)", spec)
    if device:
        name, kind, major, minor = device.groups()
        info = tarfile.TarInfo(name)
        info.type = tarfile.CHRTYPE if kind == "c" else tarfile.BLKTYPE
        info.devmajor, info.devminor = int(major), int(minor)
        info.mode = 0o666
        info.uname = info.gname = "root"
        return info, None
    return make_tar.member(spec)


def write_tar(args):
    out = args.pop(0)
    compress = bool(args) and args[0] == "--gzip"
    if compress:
        args.pop(0)
    raw = open(out, "wb")
    target = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) if compress else raw
    with tarfile.open(fileobj=target, mode="w", format=tarfile.PAX_FORMAT, copybufsize=BLOCK) as archive:
        for spec in args:
            info, data = member(spec)
            archive.addfile(info, data)
    if compress:
        target.close()
    raw.close()


def gzip_member(data):
    compressor = zlib.compressobj(1, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def write_bomb(args):
    out, size = args[0], make_tar.parse_size(args[1])
    info = tarfile.TarInfo("zero")
    info.size = size
    info.mode = 0o644
    info.uname = info.gname = "root"
    header = info.tobuf(tarfile.PAX_FORMAT)
    padding = (512 - size % 512) % 512
    trailer = bytes(padding + 1024)
    zero_member = gzip_member(bytes(BLOCK))
    diff_id = hashlib.sha256(header)
    with open(out, "wb") as f:
        f.write(gzip_member(header))
        left = size
        while left >= BLOCK:
            f.write(zero_member)
            diff_id.update(bytes(BLOCK))
            left -= BLOCK
        tail = bytes(left) + trailer
        f.write(gzip_member(tail))
        diff_id.update(tail)
    print("sha256:" + diff_id.hexdigest())


def decompressed_digest(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic[:2] == b"\x1f\x8b":
        with gzip.open(path, "rb") as f:
            for chunk in iter(lambda: f.read(BLOCK), b""):
                digest.update(chunk)
    elif magic == b"\x28\xb5\x2f\xfd":
        output = subprocess.run(["zstd", "-dc", path], check=True, stdout=subprocess.PIPE).stdout
        digest.update(output)
    else:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(BLOCK), b""):
                digest.update(chunk)
    return "sha256:" + digest.hexdigest()


def media_type(path):
    with open(path, "rb") as f:
        magic = f.read(4)
    if magic[:2] == b"\x1f\x8b":
        return "application/vnd.oci.image.layer.v1.tar+gzip"
    if magic == b"\x28\xb5\x2f\xfd":
        return "application/vnd.oci.image.layer.v1.tar+zstd"
    return "application/vnd.oci.image.layer.v1.tar"


def store(root, data):
    digest = hashlib.sha256(data).hexdigest()
    with open(os.path.join(root, "blobs", "sha256", digest), "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)


def write_layout(args):
    out = args.pop(0)
    tag, run_config = "latest", {}
    os_name, arch = "linux", GO_ARCH.get(platform.machine(), platform.machine())
    layers = []
    while args:
        arg = args.pop(0)
        if arg == "--tag":
            tag = args.pop(0)
        elif arg == "--config":
            run_config = json.loads(args.pop(0))
        elif arg == "--os":
            os_name = args.pop(0)
        elif arg == "--arch":
            arch = args.pop(0)
        else:
            layers.append(arg)
    os.makedirs(os.path.join(out, "blobs", "sha256"))
    with open(os.path.join(out, "oci-layout"), "w") as f:
        f.write('{"imageLayoutVersion":"1.0.0"}')
    descriptors, diff_ids = [], []
    for spec in layers:
        parts = spec.split(",")
        path, options = parts[0], dict(part.split("=", 1) for part in parts[1:])
        with open(path, "rb") as f:
            data = f.read()
        digest, size = store(out, data)
        descriptors.append({"mediaType": options.get("type", media_type(path)), "digest": digest, "size": size})
        diff_ids.append(options.get("diffid") or decompressed_digest(path))
        print(digest)
    config = {"architecture": arch, "os": os_name, "config": run_config,
              "rootfs": {"type": "layers", "diff_ids": diff_ids}}
    config_digest, config_size = store(out, json.dumps(config, separators=(",", ":")).encode())
    manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config_digest,
                           "size": config_size},
                "layers": descriptors}
    manifest_digest, manifest_size = store(out, json.dumps(manifest, separators=(",", ":")).encode())
    index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
             "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest_digest,
                            "size": manifest_size, "annotations": {"org.opencontainers.image.ref.name": tag}}]}
    with open(os.path.join(out, "index.json"), "w") as f:
        json.dump(index, f, separators=(",", ":"))


def flip(args):
    path = args[0]
    size = os.path.getsize(path)
    offset = int(args[1]) if len(args) > 1 else size // 2
    with open(path, "r+b") as f:
        f.seek(offset)
        byte = f.read(1)
        f.seek(offset)
        f.write(bytes([byte[0] ^ 0xFF]))


def truncate(args):
    path = args[0]
    os.truncate(path, os.path.getsize(path) // 2)


def main():
    command, args = sys.argv[1], sys.argv[2:]
    {"tar": write_tar, "bomb": write_bomb, "layout": write_layout, "flip": flip, "truncate": truncate}[command](args)


if __name__ == "__main__":
    main()
