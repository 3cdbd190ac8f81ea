#!/usr/bin/env python3
"""Merges single-image OCI layouts into one layout whose tag names an image index (a
multi-platform "manifest list"), for pushing with `skopeo copy --all`.

    make_index.py OUTPUT TAG SOURCE_LAYOUT:SOURCE_TAG=OS/ARCH...

Every blob of every source is copied to OUTPUT/blobs; the index lists each source's manifest
with the given platform; OUTPUT/index.json holds one entry, the index, annotated with TAG.
"""
import hashlib
import json
import os
import shutil
import sys


def main():
    output, tag = sys.argv[1], sys.argv[2]
    os.makedirs(os.path.join(output, "blobs", "sha256"), exist_ok=True)
    with open(os.path.join(output, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)
    manifests = []
    for spec in sys.argv[3:]:
        source, platform = spec.rsplit("=", 1)
        layout, source_tag = source.rsplit(":", 1)
        os_name, arch = platform.split("/", 1)
        for name in os.listdir(os.path.join(layout, "blobs", "sha256")):
            shutil.copyfile(os.path.join(layout, "blobs", "sha256", name), os.path.join(output, "blobs", "sha256", name))
        with open(os.path.join(layout, "index.json")) as f:
            index = json.load(f)
        entry = next(m for m in index["manifests"]
                     if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == source_tag)
        manifests.append({"mediaType": entry["mediaType"], "digest": entry["digest"], "size": entry["size"],
                          "platform": {"architecture": arch, "os": os_name}})
    body = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                       "manifests": manifests}).encode()
    digest = hashlib.sha256(body).hexdigest()
    with open(os.path.join(output, "blobs", "sha256", digest), "wb") as f:
        f.write(body)
    with open(os.path.join(output, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                   "manifests": [{"mediaType": "application/vnd.oci.image.index.v1+json",
                                  "digest": "sha256:" + digest, "size": len(body),
                                  "annotations": {"org.opencontainers.image.ref.name": tag}}]}, f)
    print("sha256:" + digest)


if __name__ == "__main__":
    main()
