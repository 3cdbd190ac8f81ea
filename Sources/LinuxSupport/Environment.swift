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

    /// Hides the value of every argument that starts with `prefix` (`--mds-token=`) from
    /// /proc/PID/cmdline, which any user can read; `CommandLine.arguments`, read before, keeps it.
    public static func hideArguments(withPrefix prefix: String) {
        _ = rkt_mask_argument_values(prefix)
    }

    /// Empties the environment, and the memory its strings were in (/proc/PID/environ).
    public static func clear() {
        _ = rkt_clear_process_strings(nil)
        clearenv()
    }
}
