import Glibc

/// Checks an OCI image layout completely: `oci-layout` and `index.json`, every blob's name,
/// size and digest, every descriptor reachable from the index (nested indexes included), each
/// manifest's config and layers, each layer's diff ID against its uncompressed content, each
/// layer's entries by the rules of unpacking (`LayerChecker`), and tags.
public enum OCILayoutValidator {
    /// Validates the layout at `path`; returns how many images (manifests) it checked.
    @discardableResult
    public static func validate(_ path: String) throws -> Int {
        let layout = try OCILayout(path: path)
        try verifyBlobFiles(layout)
        for descriptor in layout.index.manifests {
            if let tag = descriptor.refName, !isValidTag(tag) {
                throw OCILayoutError("index.json: invalid tag \(quoted(tag)) (org.opencontainers.image.ref.name)")
            }
        }
        var checked = 0
        var seen: Set<Digest> = []
        try walk(layout.index.manifests, layout: layout, context: "index.json", depth: 0, seen: &seen, images: &checked)
        return checked
    }

    /// Every file under blobs/ must be named by a valid digest and hold content with that digest.
    private static func verifyBlobFiles(_ layout: OCILayout) throws {
        let blobs = "\(layout.root)/blobs"
        for algorithm in try DirectoryWalker.sortedNames(atPath: blobs) {
            let directory = "\(blobs)/\(algorithm)"
            for encoded in try DirectoryWalker.sortedNames(atPath: directory) {
                let digest: Digest
                do {
                    digest = try Digest("\(algorithm):\(encoded)")
                } catch {
                    throw OCILayoutError("blobs/\(algorithm)/\(encoded): not a valid digest name: \(error)")
                }
                guard let known = digest.verifiableAlgorithm else { continue }
                let actual = try ContentHasher.hex(known, ofFile: "\(directory)/\(encoded)")
                if actual != encoded {
                    throw ContentMismatchError.digestMismatch(name: "blob \(digest)", actual: "\(algorithm):\(actual)")
                }
            }
        }
    }

    private static func walk(_ descriptors: [Descriptor], layout: OCILayout, context: String, depth: Int,
                             seen: inout Set<Digest>, images: inout Int) throws {
        guard depth < 8 else { throw OCILayoutError("indexes nested more than 8 deep") }
        for descriptor in descriptors where seen.insert(descriptor.digest).inserted {
            if MediaType.isIndex(descriptor.mediaType) {
                let bytes = try layout.readBlob(descriptor)
                let index: OCIIndex
                do { index = try OCIIndex.decode(bytes) } catch { throw OCILayoutError("index \(descriptor.digest) (in \(context)): \(error)") }
                try walk(index.manifests, layout: layout, context: "index \(descriptor.digest)", depth: depth + 1, seen: &seen, images: &images)
            } else if MediaType.isManifest(descriptor.mediaType) {
                try validateManifest(descriptor, layout: layout, context: context)
                images += 1
            } else {
                // Unknown media types in an index must not be errors; their blob must still match.
                _ = try checkedSize(descriptor, layout: layout)
            }
        }
    }

    private static func validateManifest(_ descriptor: Descriptor, layout: OCILayout, context: String) throws {
        let bytes = try layout.readBlob(descriptor)
        let manifest: OCIManifest
        do { manifest = try OCIManifest.decode(bytes) } catch { throw OCILayoutError("manifest \(descriptor.digest) (in \(context)): \(error)") }
        let name = "manifest \(descriptor.digest)"
        if manifest.layers.isEmpty { throw OCILayoutError("\(name): layers: at least one layer is required (image-spec schema)") }
        guard MediaType.isConfig(manifest.config.mediaType) else {
            // Artifacts carry other config types: their content is opaque.
            _ = try checkedSize(manifest.config, layout: layout)
            return
        }
        let configBytes = try layout.readBlob(manifest.config)
        let config: ImageConfig
        do { config = try ImageConfig.decode(configBytes) } catch { throw OCILayoutError("config \(manifest.config.digest): \(error)") }
        guard config.diffIDs.count == manifest.layers.count else {
            throw OCILayoutError("\(name): \(manifest.layers.count) layers but config \(manifest.config.digest) lists \(config.diffIDs.count) diff_ids")
        }
        for (position, (layer, diffID)) in zip(manifest.layers, config.diffIDs).enumerated() {
            guard MediaType.layerCompression(layer.mediaType) != nil else {
                throw OCILayoutError("\(name): layers[\(position)]: \(quoted(layer.mediaType)) is not a layer media type")
            }
            try validateLayer(layer, diffID: diffID, layout: layout, manifest: name)
        }
    }

    /// One pass over a layer: its blob is decompressed once (verifying its digest and refusing a
    /// decompression bomb as unpacking does), hashed for the diff_id and read as a tar whose entries
    /// are checked by the rules of unpacking.
    private static func validateLayer(_ layer: Descriptor, diffID: Digest, layout: OCILayout, manifest: String) throws {
        let name = "layer \(layer.digest)"
        let blob = try layout.layerReader(layer, format: .raw)
        _ = try blob.next()
        let hasher = diffID.verifiableAlgorithm.map { HashingSink(algorithm: $0) }
        let tar = try ArchiveReader(dataOf: blob, name: name, copy: hasher) {
            try LayerApplier.checkExpansion(blob)
        }
        try LayerChecker.check(tar, name: name)
        try blob.finish()
        guard let hasher, let algorithm = diffID.verifiableAlgorithm else { return }
        let actual = hasher.digest().encoded
        if actual != diffID.encoded {
            throw ContentMismatchError.diffID(manifest: manifest, layer: "\(layer.digest)", actual: "\(algorithm.rawValue):\(actual)", expected: "\(diffID)")
        }
    }

    private static func checkedSize(_ descriptor: Descriptor, layout: OCILayout) throws -> Int64 {
        var info = stat()
        let path = layout.blobPath(descriptor.digest)
        guard stat(path, &info) == 0 else { throw OCILayoutError("blob \(descriptor.digest) (\(descriptor.mediaType)) is missing") }
        guard Int64(info.st_size) == descriptor.size else {
            throw ContentMismatchError.sizeMismatch(name: "blob \(descriptor.digest)", actual: Int64(info.st_size), promised: descriptor.size)
        }
        return descriptor.size
    }

    /// `ref ::= component ("/" component)*`, `component ::= alphanum (separator alphanum)*`,
    /// `separator ::= [-._:@+] | "--"`.
    static func isValidTag(_ tag: String) -> Bool {
        tag.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { component in
            let bytes = Array(component.utf8)
            guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
            var index = 0
            while index < bytes.count {
                if isAlphanumeric(bytes[index]) { index += 1; continue }
                if bytes[index] == UInt8(ascii: "-"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "-"),
                   index + 2 < bytes.count, isAlphanumeric(bytes[index + 2]) {
                    index += 2
                    continue
                }
                guard "-._:@+".utf8.contains(bytes[index]), index + 1 < bytes.count, isAlphanumeric(bytes[index + 1]) else { return false }
                index += 1
            }
            return true
        }
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool { byte.isASCIILetter || byte.isASCIIDigit }
}
