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
    public var uuid = ""

    public init() {}

    /// `[--debug] --net=… [--interactive] [--hostname=H] [--disable-…] … UUID`; unknown options
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
            default:
                if !argument.hasPrefix("-") { uuid = argument }
            }
        }
        guard !uuid.isEmpty else { throw Stage1Error("no pod UUID given") }
    }

    public var hostNetwork: Bool { network == "host" }

    private static func split(_ argument: String) -> (String, String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
