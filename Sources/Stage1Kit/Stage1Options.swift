import Stage1ABI

/// The arguments stage0 passes to the stage1 `run` entrypoint, and stage1's own `init` options.
public struct Stage1Options: Sendable {
    public var debug = false
    /// The host's network, none (loopback only) or CNI networks.
    public var network = NetworkSelection.standard
    /// Where `net.d` is looked for: rkt's local configuration (`--local-config`, default
    /// /etc/rkt) overrides the system one (`--system-config`, default /usr/lib/rkt).
    public var localConfig = "/etc/rkt"
    public var systemConfig = "/usr/lib/rkt"
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
    /// `--mds-token=T`: the pod's metadata service token; its apps get `AC_METADATA_URL`.
    public var metadataToken: String?
    /// `--mds-port=N`: the metadata service's port, when not the default.
    public var metadataPort = MetadataServiceURL.defaultPort
    /// The address apps reach the host on (the metadata service's host in `AC_METADATA_URL`):
    /// 127.0.0.1 on the host's network; on a pod network, its gateway once the network is set up.
    public var podHostAddress: String?

    public init() {}

    /// `[--debug] --net=… [--interactive] [--hostname=H] [--disable-…] [--dns-conf-mode=…] [--mds-token=T]
    /// [--mds-port=N] … UUID`; unknown options (for other stage1s) are ignored.
    public init(arguments: [String]) throws {
        for argument in arguments {
            let (name, value) = Self.split(argument)
            switch name {
            case "--debug": debug = true
            case "--net": network = try NetworkSelection(value.map { [$0] } ?? [])
            case "--local-config": localConfig = value ?? localConfig
            case "--system-config": systemConfig = value ?? systemConfig
            case "--interactive": interactive = true
            case "--hostname": hostname = value
            case "--disable-capabilities-restriction": disableCapabilities = true
            case "--disable-paths": disablePaths = true
            case "--disable-seccomp": disableSeccomp = true
            case "--mds-token": metadataToken = value
            case "--mds-port":
                guard let port = value.flatMap(Int.init), (1...65535).contains(port) else { throw Stage1Error.badMetadataPort(value ?? "") }
                metadataPort = port
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
        if hostNetwork { podHostAddress = "127.0.0.1" }
    }

    public var hostNetwork: Bool { network.isHost }

    /// The apps' `AC_METADATA_URL`, when the pod is registered and can reach the host.
    public var metadataURL: String? {
        guard let metadataToken, let podHostAddress else { return nil }
        return MetadataServiceURL.url(host: podHostAddress, port: metadataPort, token: metadataToken)
    }

    private static func split(_ argument: String) -> (String, String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }
}
