import Glibc

/// Wall-clock time.
public enum Clock {
    /// Seconds since the epoch.
    public static func now() -> Int { time(nil) }
}
