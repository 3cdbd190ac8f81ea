import Glibc

/// `enter --pid=PID --appname=NAME [--] CMD [ARGS…]`: runs CMD in a running app's namespaces,
/// root, cgroups, capability set, no_new_privs and seccomp filter. It enters the pod's pid
/// namespace only once it stands in the app's root; on a terminal it gets a terminal of its own.
struct AppEnter {
    let podPID: pid_t
    let appName: String
    let command: [String]

    init(arguments: [String]) throws {
        var podPID: pid_t?
        var appName: String?
        var command: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument.hasPrefix("--pid=") {
                podPID = pid_t(argument.dropFirst("--pid=".count))
            } else if argument.hasPrefix("--appname=") {
                appName = String(argument.dropFirst("--appname=".count))
            } else if argument == "--" {
                command = Array(arguments[(index + 1)...])
                break
            } else if !argument.hasPrefix("-") {
                command = Array(arguments[index...])
                break
            }
            index += 1
        }
        guard let podPID, let appName, !command.isEmpty else { throw Stage1Error("usage: enter --pid=PID --appname=NAME -- CMD [ARGS…]") }
        self.podPID = podPID
        self.appName = appName
        self.command = command
    }

    /// Runs the command and returns its exit code.
    func run(layout: PodLayout) throws -> Int32 {
        let spec = try AppSpec(json: try JSONParser.parse(try FileSystem.read(layout.enterSpec(appName))))
        let appPID = try runningApp(layout)
        var descriptors = DescriptorSet()
        defer { descriptors.closeAll() }
        var request = spec.request(command, newRoot: nil)
        request.namespaceDescriptors = try ["ipc", "uts", "net", "mnt"].map { try descriptors.open("/proc/\(appPID)/ns/\($0)", O_RDONLY) }
        request.pidNamespace = try descriptors.open("/proc/\(appPID)/ns/pid", O_RDONLY)
        // The app's root, opened from here: joining the mount namespace is not enough for an app
        // that was only chrooted (fly), whose namespaces are the host's.
        request.rootDescriptor = try descriptors.open("/proc/\(appPID)/root", O_RDONLY | O_DIRECTORY)
        request.cgroupDescriptors = try spec.cgroupTasks.map { try descriptors.open($0, O_WRONLY) }
        if let directory = spec.cgroupDirectory { request.cgroupDirectory = try descriptors.open(directory, O_RDONLY | O_DIRECTORY) }
        request.nondumpable = true
        request.newSession = true
        let terminal = try TerminalRelay.forStandardStreams()
        if let terminal {
            request.standardInput = terminal.stream(0)
            request.standardOutput = terminal.stream(1)
            request.standardError = terminal.stream(2)
            request.controllingTerminal = terminal.command
        }
        let pid = try Spawner.spawn(request)
        descriptors.closeAll()
        if let terminal { return terminal.run(until: pid) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Spawner.exitCode(status)
    }

    /// The host pid of the app's process, checked to be in the pod's pid namespace still.
    private func runningApp(_ layout: PodLayout) throws -> pid_t {
        let text = (try? FileSystem.read(layout.appPID(appName))).map { String(decoding: $0, as: UTF8.self) } ?? ""
        guard let pid = pid_t(text.trimmed()), let namespace = try? FileSystem.link("/proc/\(pid)/ns/pid"),
              namespace == (try? FileSystem.link("/proc/\(podPID)/ns/pid")) else {
            throw Stage1Error("app \(appName) is not running in pod process \(podPID)")
        }
        return pid
    }
}
