import Foundation
import Stage1Kit
import Testing

@Suite("stage1 spawner")
struct SpawnerTests {
    @Test("the pod's init is forked only from a process with one thread: from the test runner's, it is refused")
    func forkInitNeedsOneThread() throws {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        let threads = status.split(separator: "\n").first { $0.hasPrefix("Threads:") }.flatMap { Int($0.dropFirst("Threads:".count).trimmingCharacters(in: .whitespaces)) }
        try #require((threads ?? 0) > 1, "the test needs a process with several threads")
        let error = #expect(throws: Stage1Error.self) { try Spawner.forkInit(cloneFlags: 0, parentDeathSignal: 0) }
        #expect(error?.description.contains("one thread") == true, "\(String(describing: error))")
    }
}
