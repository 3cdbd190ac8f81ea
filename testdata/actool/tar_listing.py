#!/usr/bin/env python3
"""Lists the members of a tar archive (plain, gzip, bzip2 or xz) as JSON, read with Python's
tarfile module, an implementation independent of the one under test.

    tar_listing.py ARCHIVE

Prints a JSON array with one object per member, in archive order: name (as stored; tarfile drops
a directory's trailing slash), type (file, dir, symlink, hardlink, fifo, char, block, other),
mode, uid, gid, uname, gname, mtime, size, linkname, devmajor, devminor, xattrs (SCHILY.xattr.* PAX records, name →
value) and sha256 of the data (regular files only).
"""
import hashlib
import json
import sys
import tarfile

TYPES = {
    tarfile.REGTYPE: "file", tarfile.AREGTYPE: "file", tarfile.DIRTYPE: "dir", tarfile.SYMTYPE: "symlink",
    tarfile.LNKTYPE: "hardlink", tarfile.FIFOTYPE: "fifo", tarfile.CHRTYPE: "char", tarfile.BLKTYPE: "block",
}


def main():
    members = []
    with tarfile.open(sys.argv[1], "r:*") as archive:
        for info in archive:
            digest = None
            if info.isreg():
                data = archive.extractfile(info)
                sha = hashlib.sha256()
                for chunk in iter(lambda: data.read(1 << 20), b""):
                    sha.update(chunk)
                digest = sha.hexdigest()
            members.append({
                "name": info.name,
                "type": TYPES.get(info.type, "other"),
                "mode": info.mode,
                "uid": info.uid,
                "gid": info.gid,
                "uname": info.uname,
                "gname": info.gname,
                "mtime": int(info.mtime),
                "size": info.size,
                "linkname": info.linkname,
                "devmajor": info.devmajor,
                "devminor": info.devminor,
                "xattrs": {key[len("SCHILY.xattr."):]: value for key, value in info.pax_headers.items()
                           if key.startswith("SCHILY.xattr.")},
                "sha256": digest,
            })
    json.dump(members, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
