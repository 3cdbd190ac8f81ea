/// What `--dns`, `--dns-search`, `--dns-opt`, `--dns-domain` and `--hosts-entry` (rkt run and
/// run-prepared) ask of the apps' /etc/resolv.conf and /etc/hosts. Stage0 tells stage1 as rkt did:
/// `--dns-conf-mode=resolv=MODE,hosts=MODE`, and for the `stage0` mode the files
/// /etc/rkt-resolv.conf and /etc/rkt-hosts in the stage1 rootfs.
public struct DNSConfiguration: Sendable, Equatable {
    /// Name servers; `host` (the host's resolv.conf) or `none` (the image's own, or none) alone.
    public var servers: [String] = []
    /// Search domains (`search` line).
    public var search: [String] = []
    /// Resolver options (`options` line).
    public var options: [String] = []
    /// The local domain (`domain` line).
    public var domain: String?
    /// `IP<tab>HOST` lines, or `host` (the host's /etc/hosts) alone.
    public var hostsEntries: [String] = []

    public init() {}

    /// Reads one of the flags (`--dns=IP[,IP]|host|none`, `--dns-search=D[,D]`,
    /// `--dns-opt=O[,O]`, `--dns-domain=D`, `--hosts-entry=IP=HOST[,…]|host`); they may repeat.
    public mutating func apply(_ flag: String, _ value: String) throws {
        let values = value.split(separator: ",").map(String.init)
        switch flag {
        case "--dns": servers += values
        case "--dns-search": search += values
        case "--dns-opt": options += values
        case "--dns-domain": domain = value
        case "--hosts-entry":
            for entry in values where entry != "host" {
                guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex, entry.index(after: equals) != entry.endIndex else {
                    throw DNSOptionError.hostsEntrySyntax(entry)
                }
            }
            hostsEntries += values.map { $0 == "host" ? $0 : $0.replacingAll("=", with: "\t") }
        default: throw DNSOptionError.unknownFlag(flag)
        }
        let special = servers.filter { $0 == "host" || $0 == "none" }
        if !special.isEmpty && (servers.count > 1 || !search.isEmpty || !options.isEmpty || domain != nil) {
            throw DNSOptionError.exclusiveServer(special[0])
        }
        if hostsEntries.contains("host") && hostsEntries.count > 1 {
            throw DNSOptionError.exclusiveHostsEntry
        }
    }

    /// How stage1 fills /etc/resolv.conf.
    public var resolvMode: NameFileMode {
        if servers == ["host"] { return .host }
        if servers == ["none"] { return .none }
        return servers.isEmpty && search.isEmpty && options.isEmpty && domain == nil ? .default : .stage0
    }

    /// How stage1 fills /etc/hosts (`stage0`: localhost, the pod's hostname, then the entries).
    public var hostsMode: NameFileMode {
        hostsEntries == ["host"] ? .host : hostsEntries.isEmpty ? .default : .stage0
    }

    /// /etc/rkt-resolv.conf for the `stage0` mode.
    public var resolvConf: String {
        var lines = servers.map { "nameserver \($0)" }
        if !search.isEmpty { lines.append("search " + search.joined(separator: " ")) }
        if !options.isEmpty { lines.append("options " + options.joined(separator: " ")) }
        if let domain { lines.append("domain \(domain)") }
        return lines.map { $0 + "\n" }.joined()
    }

    /// /etc/rkt-hosts for the `stage0` mode.
    public var hosts: String { hostsEntries.map { $0 + "\n" }.joined() }
}
