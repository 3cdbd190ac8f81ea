#!/usr/bin/env python3
"""Writes a tar archive member by member, exactly as told, for tests that need archives no honest
tool would write (hostile names, duplicates, links out of the tree, bombs).

    make_tar.py OUT [--gzip|--bzip2|--xz] MEMBER...

MEMBER is one of
    NAME/              a directory (mode 0755)
    NAME=TEXT          a regular file holding TEXT
    NAME=@FILE         a regular file holding the bytes of FILE
    NAME=@zeros:SIZE   a regular file of SIZE zero bytes (SIZE may end in K, M or G), streamed
    NAME->TARGET       a symbolic link
    NAME=>TARGET       a hard link to the member TARGET
    NAME|              a fifo
Names are written as given (PAX format): nothing is cleaned, nothing is refused. Every member has
mtime 0 and owner root:root. OUT - is standard output.

--gzip writes one gzip member per MiB of tar (concatenated members are one gzip stream, RFC 1952),
and compresses an all-zero MiB only once, so a 1 GiB bomb is written in a second or two.
"""
import bz2
import gzip
import io
import lzma
import sys
import tarfile

SIZES = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
BLOCK = 1 << 20


class Zeros(io.RawIOBase):
    """SIZE zero bytes, readable in large chunks without allocating them again."""

    CHUNK = bytes(BLOCK)

    def __init__(self, size):
        self.left = size

    def readable(self):
        return True

    def read(self, count=-1):
        if count is None or count < 0 or count > BLOCK:
            count = BLOCK
        count = min(count, self.left)
        self.left -= count
        return self.CHUNK if count == BLOCK else bytes(count)


class GzipBlocks:
    """A writer that gzips its input one MiB at a time, each MiB a complete gzip member."""

    def __init__(self, target):
        self.target = target
        self.pending = bytearray()
        self.zero_member = gzip.compress(bytes(BLOCK), 6, mtime=0)
        self.written = 0

    def tell(self):
        return self.written

    def write(self, data):
        self.written += len(data)
        self.pending += data
        if len(self.pending) >= BLOCK:
            whole = len(self.pending) - len(self.pending) % BLOCK
            view = memoryview(self.pending)
            for start in range(0, whole, BLOCK):
                self._emit(view[start:start + BLOCK])
            view.release()
            del self.pending[:whole]
        return len(data)

    def _emit(self, block):
        if block.nbytes == BLOCK and block == Zeros.CHUNK:
            self.target.write(self.zero_member)
        else:
            self.target.write(gzip.compress(bytes(block), 6, mtime=0))

    def close(self):
        if self.pending:
            self._emit(memoryview(bytes(self.pending)))
        self.pending = bytearray()


class Counting:
    """A writer that knows how much it has written (tarfile asks; a pipe cannot tell)."""

    def __init__(self, target):
        self.target = target
        self.written = 0

    def tell(self):
        return self.written

    def write(self, data):
        self.written += len(data)
        self.target.write(data)
        return len(data)

    def close(self):
        pass


class Compressing:
    """A writer through a bz2 or lzma compressor object."""

    def __init__(self, target, compressor):
        self.target = target
        self.compressor = compressor
        self.written = 0

    def tell(self):
        return self.written

    def write(self, data):
        self.written += len(data)
        self.target.write(self.compressor.compress(data))
        return len(data)

    def close(self):
        self.target.write(self.compressor.flush())


def parse_size(text):
    if text[-1] in SIZES:
        return int(text[:-1]) * SIZES[text[-1]]
    return int(text)


def member(spec):
    data = None
    if spec.endswith("|"):
        info = tarfile.TarInfo(spec[:-1])
        info.type = tarfile.FIFOTYPE
    elif "=>" in spec:
        name, target = spec.split("=>", 1)
        info = tarfile.TarInfo(name)
        info.type = tarfile.LNKTYPE
        info.linkname = target
    elif "->" in spec:
        name, target = spec.split("->", 1)
        info = tarfile.TarInfo(name)
        info.type = tarfile.SYMTYPE
        info.linkname = target
    elif "=" in spec:
        name, value = spec.split("=", 1)
        info = tarfile.TarInfo(name)
        if value.startswith("@zeros:"):
            info.size = parse_size(value[len("@zeros:"):])
            data = Zeros(info.size)
        else:
            if value.startswith("@"):
                with open(value[1:], "rb") as f:
                    body = f.read()
            else:
                body = value.encode()
            info.size = len(body)
            data = io.BytesIO(body)
    elif spec.endswith("/"):
        info = tarfile.TarInfo(spec[:-1])
        info.type = tarfile.DIRTYPE
    else:
        sys.exit("make_tar.py: cannot understand member " + repr(spec))
    info.mode = 0o755 if info.type == tarfile.DIRTYPE else 0o644
    info.uname = info.gname = "root"
    return info, data


def main():
    args = sys.argv[1:]
    out = args.pop(0)
    target = sys.stdout.buffer if out == "-" else open(out, "wb")
    writer = Counting(target)
    if args and args[0] == "--gzip":
        args.pop(0)
        writer = GzipBlocks(target)
    elif args and args[0] == "--bzip2":
        args.pop(0)
        writer = Compressing(target, bz2.BZ2Compressor())
    elif args and args[0] == "--xz":
        args.pop(0)
        writer = Compressing(target, lzma.LZMACompressor(format=lzma.FORMAT_XZ))
    archive = tarfile.open(fileobj=writer, mode="w", format=tarfile.PAX_FORMAT, copybufsize=BLOCK)
    for spec in args:
        info, data = member(spec)
        archive.addfile(info, data)
    archive.close()
    writer.close()
    if target is sys.stdout.buffer:
        target.flush()
    else:
        target.close()


if __name__ == "__main__":
    main()
