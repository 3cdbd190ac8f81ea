import Glibc

/// A moment on the monotonic clock by which something must be done, remembering how long it was
/// set for (messages name the limit, not the moment).
public struct Deadline: Sendable {
    /// The length the deadline was set for.
    public let seconds: Int64
    private let end: Int64

    /// A deadline `seconds` from now.
    public init(seconds: Int64) {
        self.seconds = seconds
        end = Self.now() + seconds * 1_000_000_000
    }

    public var hasPassed: Bool { Self.now() >= end }

    /// What is left, at least 1 ms (0 would mean "no limit" to libcurl).
    public var remainingMilliseconds: Int {
        Int(max(1, (end - Self.now()) / 1_000_000))
    }

    private static func now() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
