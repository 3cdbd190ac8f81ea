import Foundation
import Stage1Kit
import Testing

@Suite("stage1: the pod's init")
struct PodInitTests {
    @Test("the pod's init is started only from a process with one thread: from the test runner's, it is refused")
    func podInitNeedsOneThread() throws {
        let scratch = FileManager.default.temporaryDirectory.path
        let error = #expect(throws: Stage1Error.self) { try PodInit(scratchDirectory: scratch) }
        guard case .podInit(let reason)? = error else { Issue.record("\(String(describing: error))"); return }
        #expect(reason.contains("one thread"), "\(reason)")
    }
}
