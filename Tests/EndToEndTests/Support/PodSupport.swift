import Foundation
import TestSupport
import Testing

/// What the pod tests share: they run real pods (namespaces, mounts, cgroups), so they need root.
enum PodTestSupport {
    static let isRoot = geteuid() == 0
    static let needsRoot: Comment = "pod tests run real pods (namespaces, mounts, cgroups): they need root (geteuid() == 0)"

    /// The busybox applets linked in the test images.
    static let applets = [
        "sh", "cat", "echo", "id", "sleep", "ls", "dd", "head", "tail", "grep", "env", "touch", "chown", "mount", "umount",
        "unshare", "uname", "hostname", "mkdir", "mknod", "wc", "readlink", "stat", "test", "true", "false", "kill", "tr",
        "printf", "rm", "ps", "sed", "cut", "od", "nsenter", "df", "pwd", "chmod", "sort", "xxd", "mv", "cp", "ln", "chroot",
    ]

    /// An image manifest: busybox-style name and labels, an optional app section (JSON object text).
    static func manifest(_ name: String = "example.com/busybox", app: String? = #"{"exec":["/bin/sh","-c","echo hello"],"user":"0","group":"0"}"#,
                         annotations: [(String, String)] = []) -> String {
        var text = #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"\#(name)","labels":[{"name":"version","value":"1.0.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}]"#
        if let app { text += #","app":\#(app)"# }
        if !annotations.isEmpty {
            text += #","annotations":["# + annotations.map { #"{"name":"\#($0.0)","value":"\#($0.1)"}"# }.joined(separator: ",") + "]"
        }
        return text + "}"
    }

    /// Polls `condition` every 50 ms until it holds or `timeout` seconds pass.
    @discardableResult
    static func waitUntil(_ timeout: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            usleep(50_000)
        }
        return try condition()
    }

    /// The target of a symlink (a /proc link), or nil.
    static func link(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4097)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The pids in /proc.
    static func pids() -> [pid_t] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { pid_t($0) }
    }

    /// `/proc/self/status`-style "Key:\tvalue" lines, as a dictionary.
    static func statusFields(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            result[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return result
    }

    /// `key=value` lines (rkt status), as a dictionary.
    static func keyValues(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            result[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        return result
    }

    /// The cgroup hierarchies the stage1 may use (v1 controller mounts, or the v2 root).
    static let cgroupRoots: [String] = {
        let base = "/sys/fs/cgroup"
        if FileManager.default.fileExists(atPath: "\(base)/cgroup.controllers") { return [base] }
        return ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []).sorted().map { "\(base)/\($0)" }
    }()

    /// Where this host mounts cgroup2, if it does.
    static let cgroup2Mount: String? = {
        let mountinfo = (try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? ""
        return mountinfo.split(separator: "\n").compactMap { line -> String? in
            let fields = line.split(separator: " ")
            guard let separator = fields.firstIndex(of: "-"), separator + 1 < fields.count, fields[separator + 1] == "cgroup2" else { return nil }
            return String(fields[4])
        }.first
    }()

    /// This host's name (gethostname).
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        gethostname(&buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The host's bounding set: what `--insecure-options=capabilities` should leave a root app.
    static func hostCapabilities() -> String {
        statusFields((try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? "")["CapBnd"] ?? ""
    }
}

/// A scratch rkt home for pod tests: `--dir DATA --local-config ETC --system-config LIB`; busybox
/// images built with our actool; checks that nothing (mount, process, cgroup) outlives a pod; and,
/// whatever happens, kills what its pods left running before the scratch directory goes.
final class PodHome: @unchecked Sendable {
    let scratch: Scratch
    let data: String
    let local: String
    let system: String
    private let baselineMounts: [String]
    private let lock = NSLock()
    private var activeBackground = 0

    init() throws {
        scratch = try Scratch()
        data = scratch.path("data")
        local = scratch.path("etc")
        system = scratch.path("lib")
        for directory in [local, system] { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        baselineMounts = Self.mountLines(mentioning: scratch.url.path)
    }

    deinit { cleanUp() }

    var root: String { scratch.url.path }
    func path(_ name: String) -> String { scratch.path(name) }

    var globals: [String] { ["--dir", data, "--local-config", local, "--system-config", system] }
    /// A command rkt runs under (e.g. `nsenter --net=…` for a network lab); none by default.
    var launcher: [String] = []

    /// The program and arguments that run rkt with `arguments`, under the launcher if any.
    func command(_ arguments: [String]) -> (program: String, arguments: [String]) {
        guard let program = launcher.first else { return (Tool.rkt.path, arguments) }
        return (program, Array(launcher.dropFirst()) + [Tool.rkt.path] + arguments)
    }

    /// `rkt GLOBALS --insecure-options=INSECURE ARGUMENTS…` in the scratch directory.
    @discardableResult
    func rkt(_ arguments: [String], insecure: String = "image", stdin: Data? = nil, environment: [String: String] = [:],
             timeout: TimeInterval = 180) throws -> Tool.Result {
        let (program, arguments) = command(globals + ["--insecure-options=\(insecure)"] + arguments)
        return try Tool.execute(program, arguments, stdin: stdin, in: scratch.url, environment: environment, timeout: timeout)
    }

    /// `rkt run ARGUMENTS…`; afterwards nothing of the pod may be left (mounts, processes, cgroups).
    @discardableResult
    func run(_ arguments: [String], insecure: String = "image", environment: [String: String] = [:], timeout: TimeInterval = 180,
             sourceLocation: SourceLocation = #_sourceLocation) throws -> Tool.Result {
        let result = try rkt(["run"] + arguments, insecure: insecure, environment: environment, timeout: timeout)
        expectNoLeftovers("rkt run \(arguments.joined(separator: " "))", sourceLocation: sourceLocation)
        return result
    }

    /// `rkt run` in the background (stdout and stderr to files), for pods that must be running.
    func start(_ arguments: [String], insecure: String = "image", environment: [String: String] = [:]) throws -> PodBackgroundRun {
        try background(["--insecure-options=\(insecure)", "run"] + arguments, environment: environment)
    }

    /// `rkt GLOBALS ARGUMENTS…` in the background (a pod's run, a command entered into it).
    func background(_ arguments: [String], environment: [String: String] = [:]) throws -> PodBackgroundRun {
        lock.withLock { activeBackground += 1 }
        do {
            return try PodBackgroundRun(home: self, arguments: globals + arguments, environment: environment)
        } catch {
            backgroundEnded()
            throw error
        }
    }

    func backgroundEnded() { lock.withLock { activeBackground -= 1 } }

    // MARK: images

    /// Builds `file` (an ACI) with our actool from a layout holding busybox, links for the applets,
    /// and `files` (path in the rootfs → contents; a value starting with "->" makes a symlink).
    @discardableResult
    func image(_ file: String = "busybox.aci", manifest: String = PodTestSupport.manifest(), files: [String: String] = [:],
               applets: [String] = PodTestSupport.applets, customize: ((String) throws -> Void)? = nil) throws -> String {
        let layout = file + ".layout"
        try scratch.busyboxLayout(layout, manifest: manifest)
        let bin = path("\(layout)/rootfs/bin")
        for applet in applets where applet != "sh" {
            try FileManager.default.createSymbolicLink(atPath: "\(bin)/\(applet)", withDestinationPath: "busybox")
        }
        for directory in ["tmp", "etc", "proc", "sys", "dev"] where files[directory] == nil {
            try FileManager.default.createDirectory(atPath: path("\(layout)/rootfs/\(directory)"), withIntermediateDirectories: true)
        }
        for (name, contents) in files {
            let target = "\(layout)/rootfs/\(name)"
            if contents.hasPrefix("->") {
                try FileManager.default.createDirectory(atPath: (path(target) as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try FileManager.default.createSymbolicLink(atPath: path(target), withDestinationPath: String(contents.dropFirst(2)))
            } else {
                try scratch.write(target, contents, mode: contents.hasPrefix("#!") ? 0o755 : 0o644)
            }
        }
        try customize?(path("\(layout)/rootfs"))
        try scratch.actool("build", "--no-compression", layout, file).check("actool build \(file)")
        return path(file)
    }

    /// `rkt fetch --full` of an image file: its ID.
    func fetch(_ image: String) throws -> String {
        try rkt(["fetch", "--full", image]).check("rkt fetch \(image)").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: pods

    /// The UUID written by `--uuid-file-save`.
    func uuid(_ file: String) -> String? {
        (try? String(contentsOfFile: file, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `rkt status UUID` as key → value.
    func status(_ uuid: String) throws -> [String: String] {
        PodTestSupport.keyValues(try rkt(["status", uuid]).check("rkt status").stdout)
    }

    /// The pod directories per state directory (`run` → [uuid…]).
    func podDirectories() -> [String: [String]] {
        var result: [String: [String]] = [:]
        for state in ["embryo", "prepare", "prepared", "run", "exited-garbage", "garbage"] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: "\(data)/pods/\(state)")) ?? []
            if !names.isEmpty { result[state] = names.sorted() }
        }
        return result
    }

    // MARK: leftovers

    struct Leftovers: Equatable, CustomStringConvertible {
        var mounts: [String] = []
        var processes: [String] = []
        var cgroups: [String] = []
        var isEmpty: Bool { mounts.isEmpty && processes.isEmpty && cgroups.isEmpty }
        var description: String { "mounts: \(mounts), processes: \(processes), cgroups: \(cgroups)" }
    }

    static func mountLines(mentioning text: String) -> [String] {
        ((try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
            .filter { $0.contains(text) }
    }

    /// Processes whose working directory, executable or root is in the scratch directory.
    func processes() -> [(pid: pid_t, description: String)] {
        let me = getpid()
        return PodTestSupport.pids().compactMap { pid in
            guard pid != me else { return nil }
            let links = ["cwd", "exe", "root"].map { ($0, PodTestSupport.link("/proc/\(pid)/\($0)") ?? "") }
            guard links.contains(where: { $0.1.hasPrefix(root + "/") || $0.1 == root }) else { return nil }
            let command = ((try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8)) ?? "").replacingOccurrences(of: "\0", with: " ")
            return (pid, "\(pid) [\(command.trimmingCharacters(in: .whitespaces))] " + links.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
        }
    }

    /// The cgroup directories (any hierarchy) of this home's pods.
    func cgroupDirectories() -> [String] {
        let uuids = Set(podDirectories().values.flatMap { $0 })
        var result: [String] = []
        for hierarchy in PodTestSupport.cgroupRoots {
            for uuid in uuids where FileManager.default.fileExists(atPath: "\(hierarchy)/rkt-suite/\(uuid)") {
                result.append("\(hierarchy)/rkt-suite/\(uuid)")
            }
        }
        return result
    }

    func leftovers() -> Leftovers {
        Leftovers(mounts: Self.mountLines(mentioning: root).filter { !baselineMounts.contains($0) },
                  processes: processes().map(\.description), cgroups: cgroupDirectories())
    }

    /// After a pod ended: no mount in this namespace, no process and no cgroup may remain. A
    /// process may take a moment to be reaped, so this waits up to 3 s for things to settle.
    func expectNoLeftovers(_ context: String, sourceLocation: SourceLocation = #_sourceLocation) {
        guard lock.withLock({ activeBackground == 0 }) else { return }
        var found = leftovers()
        PodTestSupport.waitUntil(3) {
            found = leftovers()
            return found.isEmpty
        }
        #expect(found.mounts.isEmpty, "mounts left after \(context): \(found.mounts)", sourceLocation: sourceLocation)
        #expect(found.processes.isEmpty, "processes left after \(context): \(found.processes)", sourceLocation: sourceLocation)
        #expect(found.cgroups.isEmpty, "cgroups left after \(context): \(found.cgroups)", sourceLocation: sourceLocation)
    }

    /// Kills (by pid) what the pods left, removes their cgroups and detaches their mounts.
    func cleanUp() {
        for _ in 0..<3 {
            let left = processes()
            if left.isEmpty { break }
            for process in left { kill(process.pid, SIGKILL) }
            PodTestSupport.waitUntil(2) { processes().isEmpty }
        }
        // A killed process leaves its cgroup only once reaped: retry for a while.
        PodTestSupport.waitUntil(5) {
            for directory in cgroupDirectories() {
                let children = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter {
                    var isDirectory: ObjCBool = false
                    return FileManager.default.fileExists(atPath: "\(directory)/\($0)", isDirectory: &isDirectory) && isDirectory.boolValue
                }
                for child in children { rmdir("\(directory)/\(child)") }
                rmdir(directory)
            }
            return cgroupDirectories().isEmpty
        }
        for line in Self.mountLines(mentioning: root).reversed() {
            let fields = line.split(separator: " ")
            if fields.count > 4 { umount2(String(fields[4]), Int32(MNT_DETACH)) }
        }
    }
}

/// `rkt run` started in the background (posix_spawn; stdout and stderr go to files in the scratch
/// directory), for pods that must be running while the test looks at them.
final class PodBackgroundRun: @unchecked Sendable {
    let stdoutPath: String
    let stderrPath: String
    private let process: SpawnedProcess
    private weak var home: PodHome?
    private var ended = false

    init(home: PodHome, arguments: [String], environment: [String: String]) throws {
        self.home = home
        let name = "bg-\(UUID().uuidString.prefix(8))"
        stdoutPath = home.path("\(name).out")
        stderrPath = home.path("\(name).err")
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let (program, arguments) = home.command(arguments)
        process = try SpawnedProcess(program, arguments, environment: env, standardOutput: .file(stdoutPath), standardError: .file(stderrPath))
    }

    deinit {
        process.kill(SIGKILL)
        process.wait()
        if !ended { home?.backgroundEnded() }
    }

    /// The pid of `rkt run`.
    var pid: pid_t { process.pid }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// The exit status once the process has ended (reaped here), else nil.
    @discardableResult
    func poll() -> Int32? { process.poll() }

    var isRunning: Bool { process.isRunning }

    /// Waits until standard output contains `text` (or the run ends).
    @discardableResult
    func waitForOutput(_ text: String, timeout: TimeInterval = 60) -> Bool {
        PodTestSupport.waitUntil(timeout) { stdout.contains(text) || !isRunning }
        return stdout.contains(text)
    }

    /// Waits for the end of `rkt run`: its exit status, or nil after `timeout` (the run is then killed).
    func wait(timeout: TimeInterval = 60) -> Int32? {
        let finished = PodTestSupport.waitUntil(timeout) { !isRunning }
        if !finished {
            process.kill(SIGKILL)
            PodTestSupport.waitUntil(10) { !isRunning }
        }
        if !ended {
            ended = true
            home?.backgroundEnded()
        }
        return finished ? poll() : nil
    }
}
