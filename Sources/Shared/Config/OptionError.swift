/// An option's value (a flag, or an environment variable that sets a limit) that cannot be used.
public enum OptionError: Error, Sendable, CustomStringConvertible {
    /// An `--insecure-options` item that names no option.
    case insecureOption(String)
    /// A `--pull-policy` other than new, update and never.
    case pullPolicy(String)
    /// An empty duration.
    case emptyDuration(String)
    /// A duration whose number cannot be read.
    case durationSyntax(String)
    /// A duration with a unit other than h, m, s and ms.
    case durationUnit(String, unit: String)
    /// A duration shorter than a second where a second is the least.
    case durationUnderASecond(String)
    /// A size that is not a positive number of bytes with an optional binary unit.
    case size(String)
    /// An environment variable with a value that cannot be used.
    case environmentVariable(String, cause: any Error)

    public var description: String {
        switch self {
        case .insecureOption(let item):
            "couldn't find flag for \(item) (valid: none, image, tls, ondisk, http, pubkey, capabilities, paths, seccomp, all-fetch, all-run, all)"
        case .pullPolicy(let text):
            "invalid pull policy \(quoted(text)) (must be new, update or never)"
        case .emptyDuration(let text):
            "invalid duration \(quoted(text))"
        case .durationSyntax(let text):
            "invalid duration \(quoted(text)) (use 24h, 30m, 1h30m, 10s)"
        case .durationUnit(let text, let unit):
            "invalid duration \(quoted(text)): unknown unit \(quoted(unit)) (use h, m, s)"
        case .durationUnderASecond(let text):
            "\(quoted(text)) is not a duration of at least a second"
        case .size(let text):
            "invalid size \(quoted(text)) (use a number of bytes, or with a unit: 512KiB, 4MiB, 16GiB)"
        case .environmentVariable(let name, let cause):
            "\(name): \(cause)"
        }
    }
}
