import Glibc

/// A failed system call: which operation, on which path, and the system's reason.
public enum SystemCallError: Error, Sendable, Equatable, CustomStringConvertible {
    case failed(operation: String, path: String, code: Int32)

    /// The failure of `operation` on `path` (the system's reason: `code`, errno by default).
    public init(_ operation: String, path: String, code: Int32 = errno) {
        self = .failed(operation: operation, path: path, code: code)
    }

    /// The errno value.
    public var code: Int32 {
        switch self {
        case .failed(_, _, let code): code
        }
    }

    public var description: String {
        switch self {
        case .failed(let operation, let path, let code):
            let reason = String(cString: strerror(code))
            return path.isEmpty ? "\(operation): \(reason)" : "\(operation) \(path): \(reason)"
        }
    }
}
