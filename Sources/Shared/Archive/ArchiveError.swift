/// A failure reading or writing an archive: what was being done, on which file, and libarchive's
/// (or our) reason.
public struct ArchiveError: Error, Sendable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    /// `error` while reading `name`: the name is prefixed unless the message already starts with it
    /// (an archive read from another reader's data fails with that reader's errors).
    init(_ name: String, _ error: Error) { message = prefixed(name, error) }

    public var description: String { message }
}

/// `error`'s message prefixed with `name: ` unless it already starts with it.
func prefixed(_ name: String, _ error: Error) -> String {
    let message = "\(error)"
    return message.hasPrefix("\(name): ") ? message : "\(name): \(message)"
}
