import Glibc

/// Supervises a pod's apps from stage1's `run`, outside the pod's pid namespace: runs each app's
/// pre-start handler, starts the apps, stops the other apps when one fails, forwards a stop
/// (SIGTERM) to the apps and kills them 10 seconds later, runs post-stop handlers, records each
/// app's exit status, and returns the first failing app's code.
public final class Supervisor {
    /// An app to run: how, and in which root.
    public struct Entry {
        public var spec: AppSpec
        public var rootfs: String
        public var useChroot: Bool
        public var standardInput: Int32
        /// The pid namespace the app starts in (-1: stage1's own).
        public var pidNamespace: Int32 = -1
        /// The app's v1 cgroups (`tasks` files, opened) and cgroup2 directory (-1: none).
        public var cgroupDescriptors: [Int32] = []
        public var cgroupDirectory: Int32 = -1

        public init(spec: AppSpec, rootfs: String, useChroot: Bool, standardInput: Int32) {
            self.spec = spec
            self.rootfs = rootfs
            self.useChroot = useChroot
            self.standardInput = standardInput
        }

        /// Standard output and error (-1: stage1's own).
        public var standardOutput: Int32 = -1
        public var standardError: Int32 = -1

        /// How to start `command` (default: the app) in the app's root; it dies with stage1.
        func request(_ command: [String]? = nil) -> Spawner.Request {
            var request = spec.request(command, newRoot: rootfs)
            request.useChroot = useChroot
            request.standardInput = standardInput
            request.standardOutput = standardOutput
            request.standardError = standardError
            request.parentDeathSignal = SIGKILL
            request.pidNamespace = pidNamespace
            request.cgroupDescriptors = cgroupDescriptors
            request.cgroupDirectory = cgroupDirectory
            request.nondumpable = true
            return request
        }
    }

    private let entries: [Entry]
    private let layout: PodLayout
    private let signals: SignalDescriptor
    private let relay: TerminalRelay?
    /// The pod's process 1: once it has ended, so has every process of the pod.
    private let podInit: pid_t?
    private var podEnded = false
    /// Started apps: pid → entry.
    private var running: [pid_t: Int] = [:]
    /// The first app that failed, and its code.
    private var firstFailure: (index: Int, code: Int32)?
    /// When the apps still running get SIGKILL (10 seconds after a stop or a failure).
    private var deadline: Int?

    /// `signals` reports SIGCHLD, SIGTERM, SIGINT, SIGHUP and SIGWINCH; `relay` is the pod's
    /// terminal when stage1's streams are terminals.
    init(entries: [Entry], layout: PodLayout, signals: SignalDescriptor, relay: TerminalRelay?, podInit: pid_t?) {
        self.entries = entries
        self.layout = layout
        self.signals = signals
        self.relay = relay
        self.podInit = podInit
    }

    public func run() -> Int32 {
        for (index, entry) in entries.enumerated() {
            if let preStart = entry.spec.preStart {
                let code = runHandler(preStart, entry)
                if code != 0 {
                    record(index, code)
                    continue
                }
            }
            do {
                var request = entry.request()
                request.newSession = true
                let pid = try Spawner.spawn(request)
                running[pid] = index
                try? FileIO.writeFile(layout.appPID(entry.spec.name), String(pid))
            } catch {
                logError("\(entry.spec.name): \(error)")
                record(index, 127)
            }
        }
        relay?.podStarted()
        while !running.isEmpty {
            for signal in signals.wait(milliseconds: 1000, relay: relay) {
                switch signal {
                case SIGTERM, SIGINT, SIGHUP: stopAll()
                case SIGWINCH: relay?.resize()
                default: break
                }
            }
            reap()
            if let deadline, time(nil) >= deadline { terminateAll(SIGKILL) }
        }
        for entry in entries {
            guard let postStop = entry.spec.postStop else { continue }
            guard !podEnded else {
                logError("\(entry.spec.name): post-stop handler not run: the pod was killed (rkt stop --force)")
                continue
            }
            _ = runHandler(postStop, entry)
        }
        relay?.drain()
        return firstFailure?.code ?? 0
    }

    /// SIGTERM to every app, SIGKILL 10 seconds later.
    private func stopAll() {
        guard deadline == nil else { return }
        deadline = time(nil) + 10
        terminateAll(SIGTERM)
    }

    /// Collects every exited child; an app's end is recorded, and the first failure stops the
    /// others. Other children (the pod's init, what stage0 left) are reaped and otherwise ignored.
    private func reap() {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid <= 0 { return }
            if pid == podInit { podEnded = true }
            guard let index = running.removeValue(forKey: pid) else { continue }
            let code = Spawner.exitCode(status)
            record(index, code)
            if code != 0 && firstFailure?.index == index && !running.isEmpty { stopAll() }
        }
    }

    private func record(_ index: Int, _ code: Int32) {
        if code != 0 && firstFailure == nil { firstFailure = (index, code) }
        try? FileIO.writeFile(layout.status(entries[index].spec.name), String(code))
        unlink(layout.appPID(entries[index].spec.name))
    }

    /// Signals each app's process group (each app leads its own session).
    private func terminateAll(_ signal: Int32) {
        for pid in running.keys { kill(-pid, signal) }
    }

    /// Runs an event handler in the app's root and waits for it.
    private func runHandler(_ command: [String], _ entry: Entry) -> Int32 {
        do {
            return try Spawner.run(entry.request(command))
        } catch {
            logError("\(entry.spec.name): event handler: \(error)")
            return 127
        }
    }
}

/// A diagnostic line on standard error, prefixed like rkt's stage1 messages.
public func logError(_ message: String) {
    let line = Array("stage1: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
