/// The most processes and threads a pod may have (the `pids` cgroup): a pod cannot exhaust the
/// host's process table. Stage0 writes `--pids-limit` as a pod manifest annotation; stage1 reads
/// it, with a default when there is none.
public enum PidsLimit {
    /// The pod manifest annotation.
    public static let annotation = "rkt-suite.local/pids-limit"
    /// Without the annotation (systemd's default TasksMax is in the same range).
    public static let standard = 4096

    /// The limit an annotation value gives: a positive number, or nil for `0` or `max` (none).
    public static func parse(_ value: String) throws -> Int? {
        if value == "0" || value == "max" { return nil }
        guard let number = Int(value), number > 0 else {
            throw PidsLimitError.invalid(value)
        }
        return number
    }
}
