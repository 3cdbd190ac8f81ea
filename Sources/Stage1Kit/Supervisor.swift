import Glibc

/// The pod's process 1: runs each app's pre-start handler, starts the apps, reaps every process
/// that ends (orphans included), stops the other apps when one fails, forwards a stop (SIGTERM)
/// to the apps and kills them 10 seconds later, runs post-stop handlers, records each app's exit
/// status, and returns the first failing app's code.
public final class Supervisor {
    /// An app to run: how, and in which root (nil: chroot flavor handled by `newRoot`).
    public struct Entry {
        public var spec: AppSpec
        public var rootfs: String
        public var useChroot: Bool
        public var standardInput: Int32
        /// The app's `cgroup.procs` files, opened before init left the host's root (empty: by path).
        public var cgroupDescriptors: [Int32] = []

        public init(spec: AppSpec, rootfs: String, useChroot: Bool, standardInput: Int32) {
            self.spec = spec
            self.rootfs = rootfs
            self.useChroot = useChroot
            self.standardInput = standardInput
        }

        /// How to start `command` (default: the app) in the app's root; it dies with the pod's init.
        func request(_ command: [String]? = nil) -> Spawner.Request {
            var request = spec.request(command, newRoot: rootfs)
            request.useChroot = useChroot
            request.standardInput = standardInput
            request.parentDeathSignal = SIGKILL
            if !cgroupDescriptors.isEmpty {
                request.cgroupProcs = []
                request.cgroupDescriptors = cgroupDescriptors
            }
            return request
        }
    }

    private let entries: [Entry]
    private let layout: PodLayout
    private let signals: sigset_t
    private var running: [pid_t: Int] = [:]
    private var firstFailure: Int32?

    public init(entries: [Entry], layout: PodLayout) {
        self.entries = entries
        self.layout = layout
        signals = Signals.block()
    }

    public func run() -> Int32 {
        try? FileSystem.makeDirectories(layout.statusDirectory)
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
                try? FileSystem.write("\(layout.enterSpecDirectory)/\(entry.spec.name).pid", String(pid))
            } catch {
                logError("\(entry.spec.name): \(error)")
                record(index, 127)
            }
        }
        var deadline: Int?
        while !running.isEmpty {
            let signal = Signals.wait(signals, seconds: 1)
            if signal == SIGTERM || signal == SIGINT || signal == SIGHUP, deadline == nil {
                deadline = time(nil) + 10
                terminateAll(SIGTERM)
            }
            reap()
            if let deadline, time(nil) >= deadline { terminateAll(SIGKILL) }
        }
        for entry in entries {
            if let postStop = entry.spec.postStop { _ = runHandler(postStop, entry) }
        }
        reap()
        return firstFailure ?? 0
    }

    /// Collects every exited child; an app's end is recorded, and a failure stops the others.
    private func reap() {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            if pid <= 0 { return }
            guard let index = running.removeValue(forKey: pid) else { continue }
            let code = Spawner.exitCode(status)
            record(index, code)
            if code != 0 && running.count > 0 && firstFailure == code { terminateAll(SIGTERM) }
        }
    }

    private func record(_ index: Int, _ code: Int32) {
        if code != 0 && firstFailure == nil { firstFailure = code }
        try? FileSystem.write(layout.status(entries[index].spec.name), String(code))
    }

    private func terminateAll(_ signal: Int32) {
        for pid in running.keys { kill(-pid, signal) }
    }

    /// Runs an event handler in the app's root and waits for it.
    private func runHandler(_ command: [String], _ entry: Entry) -> Int32 {
        do {
            let pid = try Spawner.spawn(entry.request(command))
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return Spawner.exitCode(status)
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
