import AppcSchema

/// A `--pids-limit` (or its pod manifest annotation) that is not a limit.
public enum PidsLimitError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalid(String)

    public var description: String {
        switch self {
        case .invalid(let value): "invalid pids limit \(quoted(value)): a positive number, or 0 or max for none"
        }
    }
}
