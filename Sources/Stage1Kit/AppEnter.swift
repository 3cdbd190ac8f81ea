import CLinux
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
        guard let podPID, let appName, !command.isEmpty else { throw Stage1Error.usage("enter --pid=PID --appname=NAME -- CMD [ARGS…]") }
        self.podPID = podPID
        self.appName = appName
        self.command = command
    }

    /// Runs the command and returns its exit code. SIGTERM, SIGINT and SIGHUP sent here go to it,
    /// and it dies with this process.
    func run(layout: PodLayout) throws -> Int32 {
        let spec = try AppSpec(json: try JSONParser.parse(try FileIO.readFile(layout.enterSpec(appName))))
        var descriptors = DescriptorSet()
        defer { descriptors.closeAll() }
        let app = try runningApp(layout, &descriptors)
        var request = spec.request(command, newRoot: nil)
        request.namespaceDescriptors = try ["ipc", "uts", "net", "mnt"].map { try descriptors.open("/proc/\(app.pid)/ns/\($0)", O_RDONLY) }
        request.pidNamespace = try descriptors.open("/proc/\(app.pid)/ns/pid", O_RDONLY)
        // The app's root, opened from here: joining the mount namespace is not enough for an app
        // that was only chrooted (fly), whose namespaces are the host's.
        request.rootDescriptor = try descriptors.open("/proc/\(app.pid)/root", O_RDONLY | O_DIRECTORY)
        request.cgroupDescriptors = try spec.cgroupTasks.map { try descriptors.open($0, O_WRONLY) }
        if let directory = spec.cgroupDirectory { request.cgroupDirectory = try descriptors.open(directory, O_RDONLY | O_DIRECTORY) }
        // What was opened by pid is the app's only if the app is still the process the pid named.
        guard rkt_pidfd_alive(app.pidfd) != 0 else { throw Stage1Error.appNotRunning(app: appName, podPID: podPID) }
        request.nondumpable = true
        request.newSession = true
        request.parentDeathSignal = SIGKILL
        let signals = try SignalDescriptor([SIGCHLD, SIGTERM, SIGINT, SIGHUP, SIGWINCH])
        let terminal = try TerminalRelay.forStandardStreams(input: true)
        if let terminal {
            request.standardInput = terminal.stream(0)
            request.standardOutput = terminal.stream(1)
            request.standardError = terminal.stream(2)
            request.controllingTerminal = terminal.pod
        }
        let pid = try Spawner.spawn(request)
        descriptors.closeAll()
        terminal?.podStarted()
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) == 0 {
            for signal in signals.wait(milliseconds: 1000, relay: terminal) {
                switch signal {
                case SIGWINCH: terminal?.resize()
                case SIGTERM, SIGINT, SIGHUP: kill(pid, signal)
                default: break
                }
            }
        }
        terminal?.drain()
        return Spawner.exitCode(status)
    }

    /// The app's process (host pid, and a pidfd of it), checked to be in the pod's pid namespace.
    private func runningApp(_ layout: PodLayout, _ descriptors: inout DescriptorSet) throws -> (pid: pid_t, pidfd: Int32) {
        let text = (try? FileIO.readFile(layout.appPID(appName))).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let notRunning = Stage1Error.appNotRunning(app: appName, podPID: podPID)
        guard let pid = pid_t(text.trimmed()) else { throw notRunning }
        let pidfd = rkt_pidfd_open(pid)
        guard pidfd >= 0 else { throw notRunning }
        descriptors.adopt(pidfd)
        guard let namespace = try? FileIO.link("/proc/\(pid)/ns/pid"), namespace == (try? FileIO.link("/proc/\(podPID)/ns/pid")) else {
            throw notRunning
        }
        return (pid, pidfd)
    }
}
