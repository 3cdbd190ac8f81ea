import Glibc

/// Work stopped because SIGINT or SIGTERM asked for it (see `Interruption`).
public struct Interrupted: Error, Sendable, CustomStringConvertible {
    public let signal: Int32

    public init(signal: Int32) { self.signal = signal }

    /// `SIGINT`, `SIGTERM`, or the number of another signal.
    public var signalName: String {
        switch signal {
        case SIGINT: "SIGINT"
        case SIGTERM: "SIGTERM"
        default: "signal \(signal)"
        }
    }

    public var description: String { "interrupted by \(signalName); stopped" }
}
