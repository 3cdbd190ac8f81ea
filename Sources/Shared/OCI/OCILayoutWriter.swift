import Glibc

/// Creates an OCI image layout directory: `oci-layout`, content-addressed blobs (written to a
/// temporary file, then renamed to their digest) and `index.json`. JSON documents are written
/// compact, so the same content always gets the same digest.
public final class OCILayoutWriter {
    public let root: String

    /// Creates the directory (which must not exist or be empty) with `oci-layout` and `blobs/sha256`.
    public init(directory: String) throws {
        root = directory
        if mkdir(directory, 0o755) != 0 && errno != EEXIST { throw SystemCallError("mkdir", path: directory) }
        for path in ["\(directory)/blobs", "\(directory)/blobs/sha256"] where mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw SystemCallError("mkdir", path: path)
        }
        try write(Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8), to: "\(directory)/oci-layout")
    }

    /// Stores a blob from memory.
    @discardableResult
    public func writeBlob(_ bytes: [UInt8], mediaType: String) throws -> Descriptor {
        let descriptor = Descriptor(mediaType: mediaType, content: bytes)
        try write(bytes, to: "\(root)/blobs/sha256/\(descriptor.digest.encoded)")
        return descriptor
    }

    /// Stores a JSON document as a blob.
    public func writeJSON(_ value: JSONValue, mediaType: String) throws -> Descriptor {
        try writeBlob(JSONWriter.compact(value), mediaType: mediaType)
    }

    /// Streams a blob: `produce` writes into the sink; the blob is renamed to its digest afterwards.
    public func writeBlob(mediaType: String, produce: (ByteSink) throws -> Void) throws -> Descriptor {
        let output = try AtomicOutput(path: "\(root)/blobs/sha256/.incoming", overwrite: true)
        let hashing = HashingSink(downstream: FileSink(fileDescriptor: output.fileDescriptor, name: "\(root)/blobs"))
        try produce(hashing)
        let digest = hashing.digest()
        let descriptor = Descriptor(mediaType: mediaType, digest: digest, size: hashing.count)
        try output.commit()
        let final = "\(root)/blobs/sha256/\(digest.encoded)"
        if rename("\(root)/blobs/sha256/.incoming", final) != 0 { throw SystemCallError("rename to", path: final) }
        return descriptor
    }

    /// Writes `index.json` listing `manifests`.
    public func writeIndex(_ manifests: [Descriptor]) throws {
        try write(JSONWriter.compact(OCIIndex(manifests: manifests).json), to: "\(root)/index.json")
    }

    private func write(_ bytes: [UInt8], to path: String) throws {
        let output = try AtomicOutput(path: path, overwrite: true)
        try FileIO.writeAll(output.fileDescriptor, bytes, path: path)
        try output.commit()
    }
}
