/// The networks a pod joins (`rkt run --net=…`, passed on to stage1 as given): the host's,
/// none (loopback only), or a list of CNI networks, each with its CNI_ARGS.
public enum NetworkSelection: Sendable, Equatable {
    case host
    case none
    /// Named networks in the order given; `all` joins every configured one.
    case networks([Request])

    /// One network asked for: `name` or `name:ARGS` (ARGS as CNI_ARGS, `K=V;K=V`).
    public struct Request: Sendable, Equatable {
        public var name: String
        public var arguments: String

        public init(name: String, arguments: String = "") {
            self.name = name
            self.arguments = arguments
        }
    }

    /// rkt's default: the built-in `default` network.
    public static let standard = NetworkSelection.networks([Request(name: "default")])

    /// Parses `--net` values (each `n1[:args],n2…`; repeated flags add up). An empty list or an
    /// empty value is `default`, as rkt's bare `--net`.
    public init(_ values: [String]) throws(NetworkSelectionError) {
        var requests: [Request] = []
        for value in values {
            for item in (value.isEmpty ? "default" : value).split(separator: ",", omittingEmptySubsequences: false) {
                let parts = item.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
                let name = parts[0]
                if name.isEmpty { throw .emptyName }
                if requests.contains(where: { $0.name == name }) { throw .duplicate(name) }
                if parts.count > 2 { throw .invalidArguments(network: name, arguments: Array(parts.dropFirst())) }
                if parts.count == 2 && (name == "all" || name == "host") { throw .argumentsNotSupported(name) }
                requests.append(Request(name: name, arguments: parts.count == 2 ? parts[1] : ""))
            }
        }
        if requests.isEmpty { requests = [Request(name: "default")] }
        let names = requests.map(\.name)
        for special in ["host", "none"] where names.contains(special) && names.count > 1 {
            throw .specialNotAlone(special)
        }
        switch names {
        case ["host"]: self = .host
        case ["none"]: self = .none
        default: self = .networks(requests)
        }
    }

    /// The value stage0 passes to stage1 (`--net=VALUE`), which `init` reads back.
    public var argument: String {
        switch self {
        case .host: "host"
        case .none: "none"
        case .networks(let requests): requests.map { $0.arguments.isEmpty ? $0.name : "\($0.name):\($0.arguments)" }.joined(separator: ",")
        }
    }

    public var isHost: Bool { self == .host }
    public var isNone: Bool { self == .none }
    /// Whether the pod joins CNI networks (and so gets addresses, routes and forwarded ports).
    public var joinsNetworks: Bool { if case .networks = self { true } else { false } }

    /// The networks stage1 loads: as asked, plus `default-restricted` when neither `default` nor
    /// `all` is among them (rkt's rule: a pod always reaches its host, e.g. the metadata service).
    public var requestsWithRestricted: [Request] {
        guard case .networks(let requests) = self else { return [] }
        let names = requests.map(\.name)
        if names.contains("default") || names.contains("all") || names.contains("default-restricted") { return requests }
        return requests + [Request(name: "default-restricted")]
    }
}
