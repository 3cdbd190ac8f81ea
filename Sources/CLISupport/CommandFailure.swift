/// A command of one of the suite's tools that failed. `ToolRunner` turns it into the tool's
/// failure exit code.
public enum CommandFailure: Error, Sendable, CustomStringConvertible {
    /// A failure shown on standard error as `<command>: <message>`.
    case message(String)
    /// A failure the command has already reported on standard error: only the exit code is left.
    case reported

    public var description: String {
        switch self {
        case .message(let message): message
        case .reported: "failed"
        }
    }
}
