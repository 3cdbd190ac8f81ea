import Glibc

/// A private directory (mode 0700) removed with everything in it when released.
public final class TemporaryDirectory {
    public let path: String

    /// Creates it under `parent` (default `TMPDIR` or `/var/tmp`, which has room for images).
    public init(prefix: String, parent: String? = nil) throws {
        path = try Self.make(prefix: prefix, parent: parent)
    }

    /// Creates `PARENT/PREFIX.XXXXXX` (mode 0700) and returns its path; removing it is the caller's.
    public static func make(prefix: String, parent: String? = nil) throws -> String {
        let base = parent ?? getenv("TMPDIR").map { String(cString: $0) } ?? "/var/tmp"
        var template = Array("\(base)/\(prefix).XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw SystemCallError("create temporary directory in", path: base)
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { try? TreeRemover.remove(path) }
}
