/// A `--dns…` or `--hosts-entry` option that cannot be used, and why.
public enum DNSOptionError: Error, Sendable, CustomStringConvertible {
    /// A `--hosts-entry` item that is not `IP=HOST`.
    case hostsEntrySyntax(String)
    /// A flag that is none of the DNS flags.
    case unknownFlag(String)
    /// `--dns=host` or `--dns=none` with other DNS values.
    case exclusiveServer(String)
    /// `--hosts-entry=host` with other entries.
    case exclusiveHostsEntry

    public var description: String {
        switch self {
        case .hostsEntrySyntax(let entry):
            "--hosts-entry takes IP=HOST (got \(quoted(entry)))"
        case .unknownFlag(let flag):
            "unknown DNS flag \(flag)"
        case .exclusiveServer(let server):
            "--dns=\(server) cannot be combined with other --dns, --dns-search, --dns-opt or --dns-domain values"
        case .exclusiveHostsEntry:
            "--hosts-entry=host cannot be combined with other entries"
        }
    }
}
