import Foundation
import LinuxSupport
import Testing

@Suite("Linux layer: the spawner")
struct SpawnerTests {
    @Test("a request with more namespaces than the spawner holds is refused, not cut short")
    func tooManyDescriptorsRefused() throws {
        var request = Spawner.Request(path: "/bin/true", arguments: ["/bin/true"], environment: [])
        request.namespaceDescriptors = Array(repeating: 0, count: 17)
        #expect(throws: LinuxError.tooManyDescriptors(command: "/bin/true", kind: "namespaces", count: 17, capacity: 16)) {
            try Spawner.spawn(request)
        }
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
        var pipe: [Int32] = [-1, -1]
        #expect(Glibc.pipe(&pipe) == 0)
        var request = Spawner.Request(path: "/bin/sh", arguments: ["/bin/sh", "-c", "echo $$; exit 7"], environment: [])
        request.pidNamespace = namespace
        request.standardOutput = pipe[1]
        let pid = try Spawner.spawn(request)
        close(pipe[1])
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
        let output = FileHandle(fileDescriptor: pipe[0], closeOnDealloc: true).readDataToEndOfFile()
        #expect(String(decoding: output, as: UTF8.self) == "2\n")
        #expect(Spawner.exitCode(status) == 7)
    }
}
