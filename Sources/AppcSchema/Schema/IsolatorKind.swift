/// The 14 isolator types the appc reference knows, with their value rules and set rules.
public enum IsolatorKind: String, Sendable, CaseIterable {
    case cpu = "resource/cpu"
    case memory = "resource/memory"
    case blockBandwidth = "resource/block-bandwidth"
    case blockIOPS = "resource/block-iops"
    case networkBandwidth = "resource/network-bandwidth"
    case capabilitiesRetainSet = "os/linux/capabilities-retain-set"
    case capabilitiesRemoveSet = "os/linux/capabilities-remove-set"
    case seccompRetainSet = "os/linux/seccomp-retain-set"
    case seccompRemoveSet = "os/linux/seccomp-remove-set"
    case noNewPrivileges = "os/linux/no-new-privileges"
    case oomScoreAdj = "os/linux/oom-score-adj"
    case cpuShares = "os/linux/cpu-shares"
    case selinuxContext = "os/linux/selinux-context"
    case sysctl = "os/unix/sysctl"

    /// The `resource/*` kinds.
    public var isResource: Bool { rawValue.hasPrefix("resource/") }

    /// Whether a set of isolators may hold several of this kind.
    public var allowsMultiple: Bool {
        switch self {
        case .seccompRetainSet, .seccompRemoveSet, .oomScoreAdj, .cpuShares, .selinuxContext, .sysctl: return false
        default: return true
        }
    }

    /// Kinds that may not appear in the same set as this one.
    public var conflicts: [IsolatorKind] {
        switch self {
        case .seccompRetainSet: return [.seccompRemoveSet]
        case .seccompRemoveSet: return [.seccompRetainSet]
        default: return []
        }
    }

    /// Decodes and checks a value of this kind.
    public func decodeValue(_ json: JSONValue) throws -> IsolatorValue {
        switch self {
        case .cpu, .memory:
            let resource = try ResourceValue(json: json)
            if resource.isDefault { throw JSONDecodingError("default must be false") }
            return .resource(resource)
        case .blockBandwidth, .blockIOPS, .networkBandwidth:
            let resource = try ResourceValue(json: json)
            if !resource.isDefault { throw JSONDecodingError("default must be true") }
            if resource.request != nil { throw JSONDecodingError("request not supported by this resource, must be empty") }
            return .resource(resource)
        case .capabilitiesRetainSet, .capabilitiesRemoveSet:
            let set = try JSONObjectReader(json).array("set") { try $0.stringValue() } ?? []
            if set.isEmpty { throw JSONDecodingError("set must be non-empty") }
            return .capabilities(set)
        case .seccompRetainSet, .seccompRemoveSet:
            return .seccomp(try SeccompSet(json: json))
        case .noNewPrivileges:
            return .noNewPrivileges(try json.boolValue())
        case .oomScoreAdj:
            let score = try json.intValue()
            guard (-1000...1000).contains(score) else {
                throw JSONDecodingError("\(rawValue) must be between -1000 and 1000, got \(score)")
            }
            return .oomScoreAdj(score)
        case .cpuShares:
            let shares = try json.intValue()
            guard (2...262_144).contains(shares) else {
                throw JSONDecodingError("\(rawValue) must be between 2 and 262144, got \(shares)")
            }
            return .cpuShares(shares)
        case .selinuxContext:
            return .selinuxContext(try SELinuxContext(json: json))
        case .sysctl:
            let reader = try JSONObjectReader(json)
            var parameters: [String: String] = [:]
            for member in reader.members {
                parameters[member.key] = try JSONDecodingError.at(.key(member.key)) {
                    member.value == .null ? "" : try member.value.stringValue()
                }
            }
            return .sysctl(parameters)
        }
    }
}
