import Glibc

/// The process environment and clock, for the executables.
public enum Environment {
    /// The value of an environment variable.
    public static func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }
}

/// Wall-clock time.
public enum Clock {
    /// Seconds since the epoch.
    public static func now() -> Int { time(nil) }
}
