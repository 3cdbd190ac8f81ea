/// A failure reading or writing an archive: what was being done, on which file, and libarchive's
/// (or our) reason.
public enum ArchiveError: Error, Sendable, CustomStringConvertible {
    /// libarchive (or libdeflate) could not allocate `what` for the archive `archive`.
    case cannotAllocate(archive: String, what: String)
    /// Memory ran out while reading `archive`.
    case outOfMemory(archive: String)
    /// libarchive failed at `step` (which names the archive or member) for `reason`.
    case libarchive(step: String, reason: String)
    /// The sink behind a writer failed at `step`.
    case sink(step: String, error: any Error)
    /// `error` while reading `archive` (its raw bytes failed, or did not match what was expected).
    case reading(archive: String, error: any Error)
    /// A member's data is larger than the caller accepts.
    case memberTooLarge(archive: String, limit: Int)
    /// A gzip member of an indexed gzip file did not decompress.
    case corruptGzipMember(archive: String, offset: Int64)
    /// A member copied from a reader when the reader is on none.
    case noMemberToCopy
    /// More data written than the member's header announced.
    case dataPastMemberSize
    /// A file being archived became shorter than its size when it was listed.
    case fileChangedSize(path: String)
    /// A block of a parallel decompression not decoded yet.
    case notDecoded

    public var description: String {
        switch self {
        case .cannotAllocate(let archive, let what): "\(archive): cannot allocate \(what)"
        case .outOfMemory(let archive): "\(archive): out of memory"
        case .libarchive(let step, let reason): "\(step): \(reason)"
        case .sink(let step, let error): "\(step): \(error)"
        // The name is prefixed unless the message already starts with it (an archive read from
        // another reader's data fails with that reader's errors).
        case .reading(let archive, let error): prefixed(archive, error)
        case .memberTooLarge(let archive, let limit): "\(archive): member larger than \(limit) bytes"
        case .corruptGzipMember(let archive, let offset): "\(archive): corrupt gzip member at byte \(offset) (bad data, checksum or size)"
        case .noMemberToCopy: "no member to copy"
        case .dataPastMemberSize: "writing data: more bytes than the member's size"
        case .fileChangedSize(let path): "\(path): file changed size while it was being archived"
        case .notDecoded: "not decoded"
        }
    }
}

/// `error`'s message prefixed with `name: ` unless it already starts with it.
func prefixed(_ name: String, _ error: any Error) -> String {
    let message = "\(error)"
    return message.hasPrefix("\(name): ") ? message : "\(name): \(message)"
}
