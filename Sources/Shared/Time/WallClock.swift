import Glibc

/// Wall-clock time.
public enum WallClock {
    /// Seconds since the epoch.
    public static func now() -> Int { time(nil) }

    /// Nanoseconds since the epoch.
    public static func nanoseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
