import CLISupport

/// The command line of `rkt run` / `rkt prepare`: pod flags, then images each followed by its own
/// flags and, after `--`, its arguments (ended by `---`). Flags take `--flag=value` or `--flag value`.
struct RunArguments {
    var request = PodRequest()
    var stage1Flags: [String] = []
    /// `--net` values as given (repeatable); `network` is what they select.
    var networkValues: [String] = []
    var hostname: String?
    var interactive = false
    var uuidFileSave: String?
    var pullPolicy = PullPolicy.new
    var dns = DNSConfiguration()
    /// `--mds-register`: register the pod with the metadata service.
    var metadataRegister = false

    private static let podValued: Set<String> = [
        "--stage1-path", "--stage1-url", "--stage1-name", "--stage1-hash", "--stage1-from-dir", "--dns", "--hosts-entry",
        "--hostname", "--set-env", "--set-env-file", "--pod-manifest", "--uuid-file-save", "--volume", "--pull-policy", "--port",
        "--dns-search", "--dns-opt", "--dns-domain", "--ipc", "--pids-limit",
    ]
    private static let podFlags: Set<String> = ["--interactive", "--inherit-env", "--no-overlay", "--mds-register", "--private-users", "--store-only", "--no-store"]
    private static let appValued: Set<String> = [
        "--signature", "--exec", "--name", "--user", "--group", "--supplementary-gids", "--working-dir", "--environment",
        "--mount", "--memory", "--cpu", "--cpu-shares", "--caps-retain", "--caps-remove", "--cap-retain", "--cap-remove",
        "--seccomp", "--oom-score-adj", "--annotation", "--user-annotation", "--user-label",
    ]

    /// Whether `-h` or `--help` comes before any app arguments (passthrough parsing hides it from the parser).
    static func asksForHelp(_ arguments: [String]) -> Bool {
        arguments.prefix { $0 != "--" }.contains { $0 == "-h" || $0 == "--help" }
    }

    init(_ arguments: [String], allowsRunFlags: Bool) throws {
        var index = 0
        var current: AppRequest?
        var appArgumentsSeen = false
        func finish() {
            if let app = current { request.apps.append(app) }
            current = nil
            appArgumentsSeen = false
        }
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            // Outside an app's arguments, rkt ignores the end marker.
            if argument == "---" { continue }
            if argument == "--" {
                guard var app = current else { throw ValidationError("an image is required before any app arguments") }
                guard !appArgumentsSeen else { throw ValidationError("only one set of app arguments allowed per image") }
                var collected: [String] = []
                while index < arguments.count, arguments[index] != "---" {
                    collected.append(arguments[index])
                    index += 1
                }
                if index < arguments.count { index += 1 }
                app.arguments = collected
                current = app
                appArgumentsSeen = true
                continue
            }
            guard argument.hasPrefix("--") else {
                finish()
                current = AppRequest(image: argument)
                continue
            }
            let (name, inline) = Self.split(argument)
            func value() throws -> String {
                if let inline { return inline }
                guard index < arguments.count else { throw ValidationError("\(name) needs a value") }
                index += 1
                return arguments[index - 1]
            }
            if name == "--net" {
                try runOnly(name, allowsRunFlags)
                networkValues.append(inline ?? "default")
                continue
            }
            if Self.appValued.contains(name) {
                let text = try value()
                if name == "--mount", current == nil {
                    request.sharedMounts.append(try Self.mount(text))
                    continue
                }
                guard current != nil else { throw ValidationError("\(name) must follow an image") }
                try apply(name, text, to: &current!)
            } else if Self.podValued.contains(name) {
                try applyPod(name, try value(), allowsRunFlags: allowsRunFlags)
            } else if Self.podFlags.contains(name) {
                try applyPodFlag(name, enabled: try Self.bool(inline, flag: name), allowsRunFlags: allowsRunFlags)
            } else if name == "--readonly-rootfs" {
                guard current != nil else { throw ValidationError("--readonly-rootfs must follow an image") }
                current!.readOnlyRootfs = try Self.bool(inline, flag: name)
            } else {
                throw ValidationError("unknown flag \(name)")
            }
        }
        finish()
        try check()
    }

    private mutating func apply(_ name: String, _ value: String, to app: inout AppRequest) throws {
        switch name {
        case "--signature": app.signature = value
        case "--exec":
            guard app.exec == nil else { throw ValidationError("--exec specified multiple times for the same image") }
            app.exec = value
        case "--name": app.name = value
        case "--user": app.user = value
        case "--group": app.group = value
        case "--supplementary-gids":
            app.supplementaryGIDs = try value.split(separator: ",").map {
                guard let gid = Int($0) else { throw ValidationError("invalid supplementary group \(quoted(String($0)))") }
                return gid
            }
        case "--working-dir": app.workingDirectory = value
        case "--environment": app.environment.append(try Self.pair(value, flag: name))
        case "--mount": app.mounts.append(try Self.mount(value))
        case "--memory": app.memory = value
        case "--cpu": app.cpu = value
        case "--cpu-shares":
            guard let shares = Int(value) else { throw ValidationError("--cpu-shares must be a number") }
            app.cpuShares = shares
        case "--caps-retain", "--cap-retain": app.capsRetain = value.split(separator: ",").map(String.init)
        case "--caps-remove", "--cap-remove": app.capsRemove = value.split(separator: ",").map(String.init)
        case "--seccomp": app.seccomp = value
        case "--oom-score-adj":
            guard let score = Int(value) else { throw ValidationError("--oom-score-adj must be a number") }
            app.oomScoreAdj = score
        case "--annotation": app.annotations.append(try Self.pair(value, flag: name))
        case "--user-annotation":
            let pair = try Self.pair(value, flag: name)
            app.userAnnotations[pair.name] = pair.value
        case "--user-label":
            let pair = try Self.pair(value, flag: name)
            app.userLabels[pair.name] = pair.value
        default: break
        }
    }

    private mutating func applyPod(_ name: String, _ value: String, allowsRunFlags: Bool) throws {
        switch name {
        case "--stage1-path": request.stage1 = .path(value); stage1Flags.append(name)
        case "--stage1-url": request.stage1 = .url(value); stage1Flags.append(name)
        case "--stage1-name": request.stage1 = .name(value); stage1Flags.append(name)
        case "--stage1-hash": request.stage1 = .hash(value); stage1Flags.append(name)
        case "--stage1-from-dir": request.stage1 = .fromDirectory(value); stage1Flags.append(name)
        case "--volume": request.volumes.append(try Volume(parsing: value))
        case "--set-env":
            let pair = try Self.pair(value, flag: name)
            if request.setEnvironment.contains(where: { $0.name == pair.name }) { throw ValidationError("key \(quoted(pair.name)) already set") }
            request.setEnvironment.append(pair)
        case "--set-env-file": request.environmentFiles.append(value)
        case "--pod-manifest": request.podManifest = value
        case "--uuid-file-save": uuidFileSave = value
        case "--pull-policy": pullPolicy = try PullPolicy(parsing: value)
        case "--hostname": try runOnly(name, allowsRunFlags); hostname = value
        case "--dns", "--dns-search", "--dns-opt", "--dns-domain", "--hosts-entry":
            try runOnly(name, allowsRunFlags)
            try dns.apply(name, value)
        case "--ipc": try Self.checkIPC(value)
        case "--pids-limit":
            do { _ = try PidsLimit.parse(value) } catch { throw ValidationError("--pids-limit: \(error)") }
            request.pidsLimit = value
        case "--port": request.ports.append(try Self.port(value))
        default: break
        }
    }

    private mutating func applyPodFlag(_ name: String, enabled: Bool, allowsRunFlags: Bool) throws {
        switch name {
        case "--mds-register":
            try runOnly(name, allowsRunFlags)
            metadataRegister = enabled
        case "--interactive": try runOnly(name, allowsRunFlags); interactive = enabled
        case "--inherit-env": request.inheritEnvironment = enabled
        case "--no-overlay": request.noOverlay = enabled
        case "--store-only": if enabled { pullPolicy = .never }
        case "--no-store": if enabled { pullPolicy = .update }
        case "--private-users": if enabled { throw ValidationError("--private-users (user namespaces) is not supported by this stage1") }
        default: break
        }
    }

    private func runOnly(_ name: String, _ allowed: Bool) throws {
        if !allowed { throw ValidationError("\(name) is a flag of rkt run and run-prepared, not prepare") }
    }

    private func check() throws {
        if stage1Flags.count > 1 { throw ValidationError("flags \(stage1Flags[0]) and \(stage1Flags[1]) are mutually exclusive") }
        if request.podManifest != nil {
            let conflicting = !request.apps.isEmpty || !request.volumes.isEmpty || !request.sharedMounts.isEmpty || !request.ports.isEmpty
                || request.pidsLimit != nil
                || request.inheritEnvironment || !request.setEnvironment.isEmpty || !request.environmentFiles.isEmpty
                || pullPolicy != .new
            if conflicting { throw ValidationError("conflicting flags set with --pod-manifest (see --help)") }
        } else if request.apps.isEmpty {
            throw ValidationError("must provide at least one image or specify the pod manifest")
        }
        if interactive && request.apps.count > 1 { throw ValidationError("interactive option only supports one image") }
        try Self.checkPorts(request.ports, network: try network)
    }

    /// The networks `--net` selects.
    var network: NetworkSelection {
        get throws {
            do { return try NetworkSelection(networkValues) } catch { throw ValidationError("--net: \(error)") }
        }
    }

    /// `--port=NAME:[HOSTIP:]HOSTPORT`, with rkt's messages.
    static func port(_ text: String) throws -> ExposedPort {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { throw ValidationError("\(quoted(text)) is not in name:[ip:]port format") }
        guard let name = try? ACName(parts[0]) else { throw ValidationError("\(quoted(parts[0])) is not a valid port name") }
        let number = parts.count == 3 ? parts[2] : parts[1]
        guard let hostPort = UInt16(number), hostPort > 0 else { throw ValidationError("\(quoted(number)) is not a valid port number") }
        do {
            return try ExposedPort(name: name, hostPort: UInt(hostPort), hostIP: parts.count == 3 ? parts[1] : nil)
        } catch {
            throw ValidationError("\(quoted(parts[1])) is not a valid IP")
        }
    }

    /// Ports need a pod network (rkt's messages), and host ports no one else holds.
    static func checkPorts(_ ports: [ExposedPort], network: NetworkSelection) throws {
        guard !ports.isEmpty else { return }
        if network.isNone { throw ValidationError("--port flag does not work with 'none' networking") }
        if network.isHost { throw ValidationError("--port flag does not work with 'host' networking") }
    }

    /// A boolean flag's value as rkt's flags (Go's strconv.ParseBool) read it; none is true.
    static func bool(_ value: String?, flag: String) throws -> Bool {
        switch value {
        case nil, "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False": return false
        default: throw ValidationError("\(flag) takes true or false (got \(quoted(value ?? "")))")
        }
    }

    static func split(_ argument: String) -> (String, String?) {
        guard let equals = argument.firstIndex(of: "=") else { return (argument, nil) }
        return (String(argument[..<equals]), String(argument[argument.index(after: equals)...]))
    }

    static func pair(_ text: String, flag: String) throws -> (name: String, value: String) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw ValidationError("\(flag) must be NAME=VALUE (got \(quoted(text)))")
        }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    static func mount(_ text: String) throws -> (volume: String, target: String) {
        var volume: String?
        var target: String?
        for part in text.split(separator: ",") {
            let (key, value) = split(String(part))
            switch key {
            case "volume": volume = value
            case "target": target = value
            default: throw ValidationError("--mount takes volume=NAME,target=PATH (got \(quoted(text)))")
            }
        }
        guard let volume, let target else { throw ValidationError("--mount takes volume=NAME,target=PATH (got \(quoted(text)))") }
        guard target.hasPrefix("/") else { throw ValidationError("--mount target must be an absolute path (got \(quoted(target)))") }
        return (volume, target)
    }

    /// `--ipc`: the pod always has its own IPC namespace (`auto` and `private` say so).
    static func checkIPC(_ value: String) throws {
        guard value == "auto" || value == "private" else {
            throw ValidationError("--ipc=\(value) is not supported: a pod always has its own IPC namespace (auto, private)")
        }
    }
}
