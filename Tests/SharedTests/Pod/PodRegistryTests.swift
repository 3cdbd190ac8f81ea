import Foundation
import Shared
import TestSupport
import Testing

@Suite("pod: states by directory and lock")
struct PodRegistryTests {
    @Test("a new pod is locked in prepare/ (preparing); unlocked there it is an aborted prepare")
    func createdPreparing() throws {
        let scratch = try Scratch()
        let registry = try PodRegistry(dataDirectory: scratch.path("data"))
        var created: (pod: Pod, lock: PodLock)? = try registry.create()
        let uuid = try #require(created?.pod.uuid)
        #expect(created?.pod.directory == scratch.path("data/pods/prepare/\(uuid)"))
        #expect(try registry.pods().map(\.state) == [.preparing])
        created = nil
        #expect(try registry.pods().map(\.state) == [.abortedPrepare])
    }

    @Test("moved to run/, a pod is running while locked and exited once its lock is gone; garbage states follow the same rule")
    func runningAndExited() throws {
        let scratch = try Scratch()
        let registry = try PodRegistry(dataDirectory: scratch.path("data"))
        var created: (pod: Pod, lock: PodLock)? = try registry.create()
        let pod = try #require(created?.pod)
        let running = try #require(try registry.move(pod, to: .running))
        #expect(running.directory == scratch.path("data/pods/run/\(pod.uuid)"))
        #expect(try registry.pods().map(\.state) == [.running])
        #expect(try PodLock(directory: running.directory).isFree() == false, "held by the lock of create()")
        created = nil
        let unlocked = try registry.pods()
        #expect(unlocked.map(\.state) == [.exited])
        #expect(unlocked[0].state.isExited)
        let garbage = try #require(try registry.move(running, to: .exitedGarbage))
        #expect(try registry.pods().map(\.state) == [.exitedGarbage])
        #expect(try registry.move(running, to: .garbage) == nil, "moved already")
        _ = try #require(try registry.move(garbage, to: .garbage))
        #expect(try registry.pods().map(\.state) == [.garbage])
    }

    @Test("every state has the directory rkt uses")
    func directories() {
        #expect(PodState.allCases.map(\.directory) == ["embryo", "prepare", "prepare", "prepared", "run", "run",
                                                       "exited-garbage", "exited-garbage", "garbage", "garbage"])
        #expect(PodState.allCases.filter(\.isExited) == [.exited, .exitedDeleting, .exitedGarbage])
    }

    @Test("a pod is found by a unique prefix of its UUID; none, empty and ambiguous prefixes are refused")
    func resolution() throws {
        let scratch = try Scratch()
        let registry = try PodRegistry(dataDirectory: scratch.path("data"))
        // Seventeen pods: two of them share their first hex digit, whatever the UUIDs are.
        let pods = try (0..<17).map { _ in try registry.create() }
        let uuids = pods.map { $0.pod.uuid.description }
        for uuid in uuids { #expect(try registry.resolve(uuid.uppercased()).uuid.description == uuid) }
        let first = try #require(uuids.first { uuid in uuids.filter { $0.first == uuid.first }.count > 1 })
        let ambiguous = #expect(throws: (any Error).self) { try registry.resolve(String(first.prefix(1))) }
        #expect(described(ambiguous) == "ambiguous uuid, \(uuids.filter { $0.first == first.first }.count) matches")
        let empty = #expect(throws: (any Error).self) { try registry.resolve("  ") }
        #expect(described(empty) == "UUID cannot be empty")
        let none = #expect(throws: (any Error).self) { try registry.resolve("not-a-uuid") }
        #expect(described(none) == #"no matches found for "not-a-uuid""#)
    }
}
