import CLinux
import Glibc

/// The process environment.
public enum Environment {
    /// The value of an environment variable.
    public static func value(_ name: String) -> String? { getenv(name).map { String(cString: $0) } }

    /// Every `NAME=value` entry, in order.
    public static func all() -> [String] {
        var result: [String] = []
        var pointer = environ
        while let entry = pointer.pointee {
            result.append(String(cString: entry))
            pointer += 1
        }
        return result
    }

    /// Empties the environment, and the memory its strings were in (/proc/PID/environ).
    public static func clear() {
        _ = rkt_clear_process_strings(nil)
        clearenv()
    }
}
