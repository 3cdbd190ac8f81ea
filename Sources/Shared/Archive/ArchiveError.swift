/// A failure reading or writing an archive: what was being done, on which file, and libarchive's
/// (or our) reason.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
