/// The arguments stage0 passes to the stage1 `run` entrypoint, and stage1's own `init` options.
public struct Stage1Options: Sendable {
    public var debug = false
    /// `host` shares the host's network; anything else gets a new namespace with loopback only.
    public var network = "default"
    public var interactive = false
    public var hostname: String?
    public var disableCapabilities = false
    public var disablePaths = false
    public var disableSeccomp = false
    /// `--dns-conf-mode=resolv=M,…`; nil when not given (the file stage0 left then decides).
    public var resolvMode: NameFileMode?
    /// `--dns-conf-mode=…,hosts=M`; nil when not given.
    public var hostsMode: NameFileMode?
    public var uuid = ""

    public init() {}

    /// `[--debug] --net=… [--interactive] [--hostname=H] [--disable-…] [--dns-conf-mode=…] … UUID`; unknown options
    /// (for other stage1s, such as --local-config or --mds-token) are ignored.
    public init(arguments: [String]) throws {
        for argument in arguments {
            let (name, value) = Self.split(argument)
            switch name {
            case "--debug": debug = true
            case "--net": network = value ?? "default"
            case "--interactive": interactive = true
            case "--hostname": hostname = value
            case "--disable-capabilities-restriction": disableCapabilities = true
            case "--disable-paths": disablePaths = true
            case "--disable-seccomp": disableSeccomp = true
            case "--dns-conf-mode":
                for part in (value ?? "").split(separator: ",") {
                    let (key, mode) = Self.split(String(part))
                    if key == "resolv" { resolvMode = mode.flatMap(NameFileMode.init(rawValue:)) }
                    if key == "hosts" { hostsMode = mode.flatMap(NameFileMode.init(rawValue:)) }
                }
            default:
                if !argument.hasPrefix("-") { uuid = argument }
            }
        }
        guard !uuid.isEmpty else { throw Stage1Error.noPodUUID }
    }

    public var hostNetwork: Bool { network == "host" }

    private static func split(_ argument: String) -> (String, String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
