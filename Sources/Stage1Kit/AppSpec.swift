import Glibc

/// Everything needed to start one app of a pod the way the pod manifest says — and, saved as
/// JSON, to start `rkt enter` processes confined the same way.
public struct AppSpec: Sendable {
    public var name: String
    public var exec: [String]
    public var environment: [String]
    public var workingDirectory: String
    public var uid: UInt32
    public var gid: UInt32
    public var groups: [UInt32]
    /// The capabilities kept; nil when capabilities are not restricted.
    public var capabilities: UInt64?
    public var noNewPrivileges: Bool
    /// The compiled seccomp filter; nil when seccomp is off.
    public var seccomp: [UInt8]?
    public var oomScoreAdj: Int?
    public var preStart: [String]?
    public var postStop: [String]?
    /// The v1 `tasks` files of the pod's and the app's cgroups (a process joins by writing 0).
    public var cgroupTasks: [String] = []
    /// The app's cgroup2 directory, which its processes are created in.
    public var cgroupDirectory: String?

    /// The app's settings from the pod manifest (its app section, else the image's), with users
    /// and groups resolved in its root filesystem.
    public init(app runtimeApp: RuntimeApp, imageManifest: ImageManifest, root: RootDirectory, options: Stage1Options) throws {
        guard let app = runtimeApp.app ?? imageManifest.app, let exec = app.exec, !exec.isEmpty else {
            throw Stage1Error.noExec(app: runtimeApp.name.value)
        }
        name = runtimeApp.name.value
        self.exec = exec
        var environment = [
            "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "AC_APP_NAME=\(name)", "container=rkt",
        ]
        if let url = options.metadataURL { environment.append("AC_METADATA_URL=\(url)") }
        for variable in app.environment {
            environment.removeAll { $0.hasPrefix(variable.name + "=") }
            environment.append("\(variable.name)=\(variable.value)")
        }
        self.environment = environment
        workingDirectory = app.workingDirectory.isEmpty ? "/" : app.workingDirectory
        // The image's user database is read only for names.
        var users: UserDatabase?
        func database() throws -> UserDatabase {
            if let users { return users }
            let database = try UserDatabase(root: root)
            users = database
            return database
        }
        uid = try Self.owner(app.user, root: root, uid: true) ?? UInt32(app.user) ?? database().uid(app.user)
        gid = try Self.owner(app.group, root: root, uid: false) ?? UInt32(app.group) ?? database().gid(app.group)
        groups = try app.supplementaryGIDs.map { gid -> UInt32 in
            guard let value = UInt32(exactly: gid) else { throw Stage1Error.invalidSupplementaryGroup(gid) }
            return value
        }
        capabilities = options.disableCapabilities ? nil : try Capabilities.mask(for: app.isolators)
        noNewPrivileges = app.isolators.allSatisfy { isolator in
            if case .noNewPrivileges(let enabled)? = isolator.value { return enabled }
            return true
        }
        seccomp = options.disableSeccomp ? nil : try SeccompPolicy.program(for: app.isolators)
        for isolator in app.isolators {
            if case .oomScoreAdj(let score)? = isolator.value { oomScoreAdj = score }
        }
        preStart = app.eventHandlers.first { $0.name == "pre-start" }?.exec
        postStop = app.eventHandlers.first { $0.name == "post-stop" }?.exec
    }

    /// A user or group given as a path in the image: its owner (resolved inside the image).
    private static func owner(_ value: String, root: RootDirectory, uid: Bool) throws -> UInt32? {
        guard value.hasPrefix("/") else { return nil }
        guard let info = root.status(value) else { throw Stage1Error.ownerPathNotFound(path: value, user: uid) }
        return uid ? info.st_uid : info.st_gid
    }

    /// A spawn request for `command` (the app's exec by default), confined as the app.
    public func request(_ command: [String]? = nil, newRoot: String?) -> Spawner.Request {
        let arguments = command ?? exec
        var request = Spawner.Request(path: arguments[0], arguments: arguments, environment: environment)
        request.newRoot = newRoot
        request.workingDirectory = workingDirectory
        request.ids = (uid, gid, groups)
        request.capabilities = capabilities
        request.noNewPrivileges = noNewPrivileges
        request.seccomp = seccomp
        request.oomScoreAdj = oomScoreAdj
        return request
    }

    /// The JSON `rkt enter` reads (written under the pod's stage1 rootfs).
    public var json: JSONValue {
        .object([
            "name": .string(name), "environment": .array(environment.map(JSONValue.string)),
            "workingDirectory": .string(workingDirectory), "uid": .number(String(uid)), "gid": .number(String(gid)),
            "groups": .array(groups.map { .number(String($0)) }),
            "capabilities": capabilities.map { .number(String($0)) }, "noNewPrivileges": .bool(noNewPrivileges),
            "seccomp": seccomp.map { .array($0.map { .number(String($0)) }) },
            "oomScoreAdj": oomScoreAdj.map { .number(String($0)) },
            "cgroupTasks": .array(cgroupTasks.map(JSONValue.string)), "cgroupDirectory": cgroupDirectory.map(JSONValue.string),
        ])
    }

    /// Reads what `json` wrote.
    public init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        name = try reader.string("name") ?? ""
        exec = []
        environment = try reader.array("environment") { try $0.stringValue() } ?? []
        workingDirectory = try reader.string("workingDirectory") ?? "/"
        uid = UInt32(try reader.uint("uid") ?? 0)
        gid = UInt32(try reader.uint("gid") ?? 0)
        groups = try reader.array("groups") { UInt32(try $0.uintValue()) } ?? []
        capabilities = try reader.decode("capabilities") { UInt64(try $0.uintValue()) }
        noNewPrivileges = try reader.bool("noNewPrivileges") ?? true
        seccomp = try reader.array("seccomp") { UInt8(try $0.uintValue()) }
        oomScoreAdj = try reader.int("oomScoreAdj")
        cgroupTasks = try reader.array("cgroupTasks") { try $0.stringValue() } ?? []
        cgroupDirectory = try reader.string("cgroupDirectory")
    }
}
