import Glibc
import Logging

/// An OCI image layout directory: `oci-layout`, `index.json` and `blobs/<alg>/<hex>`. Every blob
/// read is checked against its descriptor's size and digest; JSON blobs are kept as read.
public final class OCILayout: @unchecked Sendable {
    /// The largest manifest, index or config we read into memory.
    public static let maximumDocumentSize = 8 << 20

    public let root: String
    public let index: OCIIndex
    public let indexBytes: [UInt8]

    public init(path: String) throws {
        root = path
        let layoutBytes: [UInt8]
        do {
            layoutBytes = try FileIO.readFile("\(path)/oci-layout", limit: 64 * 1024)
        } catch {
            throw OCILayoutError("\(path) is not an OCI image layout: \(error)")
        }
        do {
            let reader = try JSONObjectReader(try JSONParser.parse(layoutBytes))
            guard let version = try reader.string("imageLayoutVersion") else {
                throw JSONDecodingError("imageLayoutVersion is required")
            }
            guard version == "1.0.0" else { throw JSONDecodingError("imageLayoutVersion \(quoted(version)) is not 1.0.0") }
        } catch {
            throw OCILayoutError("\(path)/oci-layout: \(error)")
        }
        indexBytes = try FileIO.readFile("\(path)/index.json", limit: Self.maximumDocumentSize)
        do {
            index = try OCIIndex.decode(indexBytes)
        } catch {
            throw OCILayoutError("\(path)/index.json: \(error)")
        }
        var info = stat()
        guard stat("\(path)/blobs", &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw OCILayoutError("\(path) has no blobs/ directory")
        }
    }

    /// Where a blob lives.
    public func blobPath(_ digest: Digest) -> String { "\(root)/blobs/\(digest.algorithm)/\(digest.encoded)" }

    /// The tags of `index.json`, in order.
    public var tags: [String] { index.manifests.compactMap(\.refName) }

    /// Opens a blob for reading (the caller closes the descriptor).
    public func openBlob(_ descriptor: Descriptor) throws -> FileDescriptor {
        guard descriptor.digest.verifiableAlgorithm != nil else {
            throw OCILayoutError("blob \(descriptor.digest): unsupported digest algorithm \(quoted(descriptor.digest.algorithm))")
        }
        do {
            return try FileDescriptor.open(blobPath(descriptor.digest), O_RDONLY)
        } catch {
            throw OCILayoutError("blob \(descriptor.digest) (\(descriptor.mediaType)) is missing from \(root): \(error)")
        }
    }

    /// What a blob must be, for verifying readers.
    public func expectation(_ descriptor: Descriptor) -> ExpectedContent {
        ExpectedContent(size: descriptor.size, algorithm: descriptor.digest.verifiableAlgorithm ?? .sha256,
                        hex: descriptor.digest.encoded, name: "blob \(descriptor.digest)")
    }

    /// A small blob's bytes, verified.
    public func readBlob(_ descriptor: Descriptor, limit: Int = maximumDocumentSize) throws -> [UInt8] {
        if let data = descriptor.data { return data }
        guard descriptor.size <= limit else {
            throw OCILayoutError("blob \(descriptor.digest) is \(descriptor.size) bytes, more than the \(limit) allowed for \(descriptor.mediaType)")
        }
        let blob = try openBlob(descriptor)
        let bytes = try FileIO.readAll(blob.rawValue, path: blobPath(descriptor.digest), limit: Int(descriptor.size) + 1)
        guard bytes.count == descriptor.size else {
            throw ContentMismatchError.sizeMismatch(name: "blob \(descriptor.digest)", actual: Int64(bytes.count), promised: descriptor.size)
        }
        let algorithm = descriptor.digest.verifiableAlgorithm!
        let actual = ContentHasher.hex(algorithm, of: bytes)
        guard actual == descriptor.digest.encoded else {
            throw ContentMismatchError.digestMismatch(name: "blob \(descriptor.digest)", actual: "\(algorithm.rawValue):\(actual)")
        }
        return bytes
    }

    /// A reader over a layer blob that verifies size and digest as it streams (call `finish()` at the end).
    public func layerReader(_ descriptor: Descriptor, format: ArchiveReader.Format = .tar) throws -> ArchiveReader {
        let blob = try openBlob(descriptor)
        var head = [UInt8](repeating: 0, count: 8)
        let count = pread(blob.rawValue, &head, head.count, 0)
        if let promised = MediaType.layerCompression(descriptor.mediaType) {
            let actual: Compression
            switch Compression.sniff(head[..<max(count, 0)]) {
            case .compressed(let found): actual = found
            default: actual = .none
            }
            if actual != promised {
                Logger(label: "").warning("warning: layer \(descriptor.digest) is labelled \(descriptor.mediaType) but its bytes are \(actual.rawValue); reading it as \(actual.rawValue)")
            }
        }
        return try ArchiveReader(fileDescriptor: blob.take(), name: "layer \(descriptor.digest)",
                                 format: format, expected: expectation(descriptor), ownsDescriptor: true)
    }

    /// Finds the image for `tag` (or the only image when nil) and `platform`, through nested indexes.
    public func resolve(tag: String?, platform: Platform) throws -> ResolvedImage {
        let candidates: [Descriptor]
        if let tag {
            candidates = index.manifests.filter { $0.refName == tag }
            if candidates.isEmpty {
                let known = tags.isEmpty ? "none" : tags.joined(separator: ", ")
                throw OCILayoutError("no image tagged \(quoted(tag)) in \(root) (tags: \(known))")
            }
        } else {
            candidates = index.manifests
        }
        let descriptor = try choose(candidates, platform: platform, context: "\(root)/index.json", tagged: tag != nil)
        return try resolve(descriptor, platform: platform, tag: tag ?? descriptor.refName, depth: 0)
    }

    private func resolve(_ descriptor: Descriptor, platform: Platform, tag: String?, depth: Int) throws -> ResolvedImage {
        guard depth < 8 else { throw OCILayoutError("indexes nested more than 8 deep in \(root)") }
        if MediaType.isIndex(descriptor.mediaType) {
            let bytes = try readBlob(descriptor)
            let nested: OCIIndex
            do { nested = try OCIIndex.decode(bytes) } catch { throw OCILayoutError("index \(descriptor.digest): \(error)") }
            let next = try choose(nested.manifests, platform: platform, context: "index \(descriptor.digest)", tagged: true)
            return try resolve(next, platform: platform, tag: tag, depth: depth + 1)
        }
        guard MediaType.isManifest(descriptor.mediaType) else {
            throw OCILayoutError("\(descriptor.digest) has media type \(descriptor.mediaType), not an image manifest or index")
        }
        let manifestBytes = try readBlob(descriptor)
        let manifest: OCIManifest
        do { manifest = try OCIManifest.decode(manifestBytes) } catch { throw OCILayoutError("manifest \(descriptor.digest): \(error)") }
        let configBytes = try readBlob(manifest.config)
        let config: ImageConfig
        do { config = try ImageConfig.decode(configBytes) } catch { throw OCILayoutError("config \(manifest.config.digest): \(error)") }
        guard config.os == platform.os, config.architecture == platform.architecture else {
            throw OCILayoutError("image \(descriptor.digest) is for \(config.os)/\(config.architecture), not \(platform) (choose with --os/--arch)")
        }
        return ResolvedImage(tag: tag, manifestDescriptor: descriptor, manifest: manifest, manifestBytes: manifestBytes,
                             config: config, configBytes: configBytes)
    }

    /// Picks the descriptor for `platform`: one without platform information if it is the only one.
    private func choose(_ candidates: [Descriptor], platform: Platform, context: String, tagged: Bool) throws -> Descriptor {
        let matching = candidates.filter { $0.platform?.matches(platform) ?? false }
        if let first = matching.first { return first }
        let unspecified = candidates.filter { $0.platform == nil }
        if unspecified.count == 1 && (tagged || candidates.count == 1) { return unspecified[0] }
        if candidates.isEmpty { throw OCILayoutError("\(context) lists no images") }
        if unspecified.count > 1 || (!tagged && candidates.count > 1 && matching.isEmpty && unspecified.count == candidates.count) {
            let known = tags.isEmpty ? "" : " (tags: \(tags.joined(separator: ", ")))"
            throw OCILayoutError("\(context) lists several images; choose one with LAYOUT:TAG\(known)")
        }
        let available = candidates.compactMap { $0.platform?.description }.joined(separator: ", ")
        throw OCILayoutError("\(context) has no image for \(platform) (available: \(available))")
    }
}
