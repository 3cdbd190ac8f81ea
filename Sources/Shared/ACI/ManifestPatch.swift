/// Edits to an image manifest, as `actool patch-manifest` takes them from its flags.
/// Applying follows the reference: `exec` creates the app if missing, capability and seccomp
/// edits replace the existing isolators of their kind, mounts, ports and isolators are appended.
public struct ManifestPatch: Sendable {
    public var name: String?
    /// The command line, split on single spaces.
    public var exec: String?
    public var user: String?
    public var group: String?
    /// Comma-separated numeric group IDs.
    public var supplementaryGroups: String?
    /// Comma-separated capabilities to retain.
    public var capability: String?
    /// Comma-separated capabilities to remove.
    public var revokeCapability: String?
    /// `NAME,path=/p[,readOnly=true]`, several separated by `:`.
    public var mounts: String?
    /// `NAME,protocol=tcp,port=N[,count=N][,socketActivated=true]`, several separated by `:`.
    public var ports: String?
    /// `NAME,key=value,…`, several separated by `:`.
    public var isolators: String?
    /// `remove|retain[,errno=EXXX]`.
    public var seccompMode: String?
    /// Comma-separated syscalls.
    public var seccompSet: String?

    public init() {}

    /// Whether any edit needs an app section.
    private var needsApp: Bool {
        [user, group, supplementaryGroups, capability, revokeCapability, mounts, ports, isolators].contains { $0 != nil }
    }

    /// Applies the edits; the result is checked as a whole.
    public func apply(to manifest: inout ImageManifest) throws {
        if let name { manifest.name = try ACIdentifier(name) }
        var app = manifest.app
        if let exec {
            app = app ?? App(uncheckedExec: [])
            app!.exec = exec.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        }
        if needsApp && app == nil {
            throw JSONDecodingError("no app in the supplied manifest and no exec command provided")
        }
        if var edited = app {
            try apply(to: &edited)
            try edited.validate()
            app = edited
        }
        manifest.app = app
    }

    private func apply(to app: inout App) throws {
        if let user { app.user = user }
        if let group { app.group = group }
        if let supplementaryGroups {
            app.supplementaryGIDs = try supplementaryGroups.split(separator: ",", omittingEmptySubsequences: false).map { text in
                guard let gid = Int(text) else { throw JSONDecodingError("invalid supplementary group \(quoted(String(text)))") }
                return gid
            }
        }
        if capability != nil && revokeCapability != nil {
            throw JSONDecodingError("conflicting capabilities isolators provided")
        }
        if let set = capability ?? revokeCapability {
            let kind: IsolatorKind = capability != nil ? .capabilitiesRetainSet : .capabilitiesRemoveSet
            let names = set.split(separator: ",", omittingEmptySubsequences: false).map { JSONValue.string(String($0)) }
            let isolator = try Isolator(kind: kind, value: .object(["set": .array(names)]))
            replace([.capabilitiesRetainSet, .capabilitiesRemoveSet], with: isolator, in: &app)
        }
        if let mounts {
            for text in mounts.split(separator: ":", omittingEmptySubsequences: false) {
                app.mountPoints.append(try context("cannot parse mount point \(quoted(String(text)))") { try MountPoint(parsing: String(text)) })
            }
        }
        if let ports {
            for text in ports.split(separator: ":", omittingEmptySubsequences: false) {
                app.ports.append(try context("cannot parse port \(quoted(String(text)))") { try Port(parsing: String(text)) })
            }
        }
        if let seccompMode {
            replace([.seccompRetainSet, .seccompRemoveSet], with: try seccompIsolator(mode: seccompMode), in: &app)
        } else if seccompSet != nil {
            throw JSONDecodingError("--seccomp-set specified without --seccomp-mode")
        }
        if let isolators {
            for text in isolators.split(separator: ":", omittingEmptySubsequences: false) {
                app.isolators.append(try isolator(parsing: String(text)))
            }
        }
    }

    private func replace(_ kinds: [IsolatorKind], with isolator: Isolator, in app: inout App) {
        app.isolators.removeAll { $0.kind.map(kinds.contains) ?? false }
        app.isolators.append(isolator)
    }

    private func seccompIsolator(mode text: String) throws -> Isolator {
        var mode = ""
        var errno = ""
        for argument in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = argument.split(separator: "=", omittingEmptySubsequences: false)
            switch parts.count {
            case 1: mode = String(parts[0])
            case 2 where parts[0] == "errno": errno = String(parts[1])
            case 2: throw JSONDecodingError("invalid seccomp-mode optional argument: \(argument)")
            default: throw JSONDecodingError("cannot parse seccomp-mode argument: \(argument)")
            }
        }
        let kind: IsolatorKind
        switch mode {
        case "remove": kind = .seccompRemoveSet
        case "retain": kind = .seccompRetainSet
        default: throw JSONDecodingError("cannot parse seccomp isolator: unknown seccomp mode \(mode) (use remove or retain)")
        }
        let syscalls = (seccompSet ?? "").split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let set = try context("cannot parse seccomp isolator") { try SeccompSet(syscalls: syscalls, errno: errno) }
        return try Isolator(kind: kind, value: set.json)
    }

    /// `NAME,key=value,…` for resources; `NAME,VALUE` (a JSON value) for no-new-privileges and oom-score-adj.
    private func isolator(parsing text: String) throws -> Isolator {
        let parts = text.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
        let name = try context("cannot parse isolator \(quoted(text))") { try ACIdentifier(String(parts[0])) }
        guard let kind = IsolatorKind(rawValue: name.value), kind.isResource || kind == .noNewPrivileges || kind == .oomScoreAdj else {
            throw JSONDecodingError("isolator \(name) is not supported for patching (resource/*, os/linux/no-new-privileges and os/linux/oom-score-adj are)")
        }
        let value: JSONValue
        if kind.isResource {
            let parameters = try context("cannot parse isolator \(quoted(text))") { try KeyValueString.parse("name=" + text) }
            value = .object(parameters.dropFirst().map { JSONMember(key: $0.key, value: .string($0.value)) })
        } else {
            guard parts.count == 2, !parts[1].contains(",") else {
                throw JSONDecodingError("isolator \(name): invalid format (use \(name),VALUE)")
            }
            value = try context("isolator \(name)") { try JSONParser.parse(String(parts[1])) }
        }
        return try context("cannot build isolator \(name)") { try Isolator(kind: kind, value: value) }
    }

    private func context<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw JSONDecodingError("\(what): \(error)")
        }
    }
}
