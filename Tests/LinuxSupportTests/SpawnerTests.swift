import Foundation
import LinuxSupport
import TestSupport
import Testing

@Suite("Linux layer: the spawner")
struct SpawnerTests {
    @Test("a request with more descriptors of a kind than the spawner holds is refused, not cut short",
          arguments: ["namespaces", "cgroups", "kept descriptors"])
    func tooManyDescriptorsRefused(_ kind: String) throws {
        var request = Spawner.Request(path: "/bin/true", arguments: ["/bin/true"], environment: [])
        let descriptors = [Int32](repeating: 0, count: 17)
        switch kind {
        case "namespaces": request.namespaceDescriptors = descriptors
        case "cgroups": request.cgroupDescriptors = descriptors
        default: request.keepDescriptors = descriptors
        }
        let error = #expect(throws: (any Error).self) { try Spawner.spawn(request) }
        #expect(described(error) == "cannot start /bin/true: 17 \(kind), at most 16")
    }

    /// `/bin/sh -c script` started with `request`'s other settings: its exit code and standard output.
    static func run(_ script: String, _ configure: (inout Spawner.Request) -> Void = { _ in }) throws -> (status: Int32, output: String) {
        let pipe = try PipePair()
        var request = Spawner.Request(path: "/bin/sh", arguments: ["/bin/sh", "-c", script], environment: ["PATH=/usr/bin:/bin"])
        request.standardOutput = pipe.write
        configure(&request)
        let output = FileHandle(fileDescriptor: pipe.read, closeOnDealloc: true)
        let pid: pid_t
        do {
            defer { close(pipe.write) }
            pid = try Spawner.spawn(request)
        }
        let text = output.readDataToEndOfFile()
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return (Spawner.exitCode(status), String(decoding: text, as: UTF8.self))
    }

    @Test("only the kept descriptors stay open in the process, close-on-exec or not; as many as the spawner holds")
    func keptDescriptors() throws {
        let inherited = open("/dev/null", O_RDONLY)
        let closeOnExec = open("/dev/null", O_RDONLY | O_CLOEXEC)
        let kept = (0..<16).map { _ in open("/dev/null", O_RDONLY | O_CLOEXEC) }
        defer { ([inherited, closeOnExec] + kept).forEach { close($0) } }
        let all = [inherited, closeOnExec] + kept
        let script = "for fd in \(all.map(String.init).joined(separator: " ")); do [ -e /proc/self/fd/$fd ] && echo $fd; done; true"
        let result = try Self.run(script) { $0.keepDescriptors = kept }
        #expect(result.status == 0)
        #expect(result.output == kept.map { "\($0)\n" }.joined())
    }

    @Test("the process gets the working directory and environment asked for, and its exit code comes back")
    func environmentAndExitCode() throws {
        let result = try Self.run("pwd; echo \"$GREETING\"; exit 3") { request in
            request.workingDirectory = "/usr"
            request.environment.append("GREETING=hello there")
        }
        #expect(result.status == 3)
        #expect(result.output == "/usr\nhello there\n")
    }

    @Test("a program that cannot be executed is reported by the spawner with the step that failed")
    func missingProgram() throws {
        let request = Spawner.Request(path: "/nonexistent/program", arguments: ["program"], environment: [])
        let error = #expect(throws: (any Error).self) { try Spawner.spawn(request) }
        #expect(described(error).hasPrefix("cannot start program: "), "\(described(error))")
        #expect(described(error).contains("No such file or directory"), "\(described(error))")
    }

    @Test("a seccomp filter the spawner loads makes the refused call fail with its errno, and only that call")
    func seccompFilterApplied() throws {
        let filter = try SeccompFilter.compile(default: .allow, rules: [SeccompRule(call: "mkdir", action: .errno(UInt16(EPERM))),
                                                                        SeccompRule(call: "mkdirat", action: .errno(UInt16(EPERM)))])
        let scratch = try Scratch()
        let result = try Self.run("mkdir \(scratch.path("refused")) 2>/dev/null; echo $?; touch \(scratch.path("allowed")); echo $?") { request in
            request.noNewPrivileges = true
            request.seccomp = filter
        }
        #expect(result.output == "1\n0\n", "\(result.output)")
        #expect(!scratch.exists("refused"))
        #expect(scratch.exists("allowed"))
    }

    @Test("a process started in a pid namespace runs there as pid 2, a child of the caller, which gets its exit code",
          .enabled(if: geteuid() == 0, "needs root: a new pid namespace"))
    func pidNamespaceEnteredByTheFinalProcess() throws {
        // Process 1 of a new pid namespace, to join.
        var holder = Spawner.Request(path: "/bin/sleep", arguments: ["sleep", "60"], environment: [])
        holder.cloneFlags = 0x2000_0000  // CLONE_NEWPID
        let holderPID = try Spawner.spawn(holder)
        defer {
            kill(holderPID, SIGKILL)
            waitpid(holderPID, nil, 0)
        }
        let namespace = open("/proc/\(holderPID)/ns/pid", O_RDONLY | O_CLOEXEC)
        defer { close(namespace) }
        let result = try Self.run("echo $$; exit 7") { $0.pidNamespace = namespace }
        #expect(result.output == "2\n")
        #expect(result.status == 7)
    }
}
