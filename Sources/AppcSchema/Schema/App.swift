/// What an image runs: the command, its user and group, environment, mount points, ports,
/// isolators and event handlers.
public struct App: JSONRepresentable, Hashable {
    /// The command and its arguments; nil when the document has none (written as `null`).
    public var exec: [String]?
    public var eventHandlers: [EventHandler]
    public var user: String
    public var group: String
    public var supplementaryGIDs: [Int]
    public var workingDirectory: String
    public var environment: [EnvironmentVariable]
    public var mountPoints: [MountPoint]
    public var ports: [Port]
    public var isolators: [Isolator]
    public var userAnnotations: [String: String]
    public var userLabels: [String: String]

    /// A checked app (see `validate()`).
    public init(exec: [String]?, user: String, group: String, workingDirectory: String = "",
                eventHandlers: [EventHandler] = [], supplementaryGIDs: [Int] = [],
                environment: [EnvironmentVariable] = [], mountPoints: [MountPoint] = [], ports: [Port] = [],
                isolators: [Isolator] = [], userAnnotations: [String: String] = [:], userLabels: [String: String] = [:]) throws {
        self.init(uncheckedExec: exec, user: user, group: group)
        self.workingDirectory = workingDirectory
        self.eventHandlers = eventHandlers
        self.supplementaryGIDs = supplementaryGIDs
        self.environment = environment
        self.mountPoints = mountPoints
        self.ports = ports
        self.isolators = isolators
        self.userAnnotations = userAnnotations
        self.userLabels = userLabels
        try validate()
    }

    /// An app not yet checked: callers set the remaining fields, then call `validate()`.
    public init(uncheckedExec exec: [String]?, user: String = "", group: String = "") {
        self.exec = exec
        self.user = user
        self.group = group
        workingDirectory = ""
        eventHandlers = []
        supplementaryGIDs = []
        environment = []
        mountPoints = []
        ports = []
        isolators = []
        userAnnotations = [:]
        userLabels = [:]
    }

    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        exec = try reader.array("exec") { try $0.stringValue() }
        eventHandlers = try reader.array("eventHandlers", of: EventHandler.self) ?? []
        user = try reader.string("user") ?? ""
        group = try reader.string("group") ?? ""
        supplementaryGIDs = try reader.array("supplementaryGIDs") { try $0.intValue() } ?? []
        workingDirectory = try reader.string("workingDirectory") ?? ""
        environment = try reader.array("environment", of: EnvironmentVariable.self) ?? []
        mountPoints = try reader.array("mountPoints", of: MountPoint.self) ?? []
        ports = try reader.array("ports", of: Port.self) ?? []
        isolators = try reader.array("isolators", of: Isolator.self) ?? []
        userAnnotations = try reader.decode("userAnnotations") { try Self.stringMap($0) } ?? [:]
        userLabels = try reader.decode("userLabels") { try Self.stringMap($0) } ?? [:]
        try validate()
    }

    /// The reference's field order; `exec`, `user` and `group` always written, the rest when not empty.
    public var json: JSONValue {
        let exec: JSONValue = self.exec.map { .array($0.map(JSONValue.string)) } ?? .null
        let gids: JSONValue? = supplementaryGIDs.isEmpty ? nil : .array(supplementaryGIDs.map { .number(String($0)) })
        let workingDirectory: JSONValue? = self.workingDirectory.isEmpty ? nil : .string(self.workingDirectory)
        let userAnnotations: JSONValue? = self.userAnnotations.isEmpty ? nil : Self.sortedObject(self.userAnnotations)
        let userLabels: JSONValue? = self.userLabels.isEmpty ? nil : Self.sortedObject(self.userLabels)
        return .object([
            "exec": exec, "eventHandlers": eventHandlers.jsonUnlessEmpty, "user": .string(user), "group": .string(group),
            "supplementaryGIDs": gids, "workingDirectory": workingDirectory, "environment": environment.jsonUnlessEmpty,
            "mountPoints": mountPoints.jsonUnlessEmpty, "ports": ports.jsonUnlessEmpty, "isolators": isolators.jsonUnlessEmpty,
            "userAnnotations": userAnnotations, "userLabels": userLabels,
        ])
    }

    /// The environment value of `name`, if set.
    public func environmentValue(_ name: String) -> String? {
        environment.first { $0.name == name }?.value
    }

    /// Checks the rules that span fields; called after every decode and construction.
    public func validate() throws {
        if user.isEmpty { throw JSONDecodingError("user is required", path: [.key("user")]) }
        if group.isEmpty { throw JSONDecodingError("group is required", path: [.key("group")]) }
        if !workingDirectory.isEmpty && !workingDirectory.hasPrefix("/") {
            throw JSONDecodingError("workingDirectory must be an absolute path (got \(quoted(workingDirectory)))", path: [.key("workingDirectory")])
        }
        var handlers: Set<String> = []
        for (position, handler) in eventHandlers.enumerated() where !handlers.insert(handler.name).inserted {
            throw JSONDecodingError("Only one eventHandler of name \(quoted(handler.name)) allowed", path: [.key("eventHandlers"), .index(position)])
        }
        try JSONDecodingError.at(.key("environment")) { try EnvironmentVariable.validate(environment) }
        try JSONDecodingError.at(.key("isolators")) { try Isolator.validateSet(isolators) }
    }

    static func stringMap(_ json: JSONValue) throws -> [String: String] {
        var map: [String: String] = [:]
        for member in try JSONObjectReader(json).members {
            map[member.key] = try JSONDecodingError.at(.key(member.key)) {
                member.value == .null ? "" : try member.value.stringValue()
            }
        }
        return map
    }

    /// A Go map as `encoding/json` writes it: keys sorted.
    static func sortedObject(_ map: [String: String]) -> JSONValue {
        .object(map.keys.sorted().map { JSONMember(key: $0, value: .string(map[$0]!)) })
    }
}
