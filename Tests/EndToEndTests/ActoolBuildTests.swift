import Foundation
import Testing

@Suite("actool build")
struct ActoolBuildTests {
    @Test("two builds of the same tree are byte-identical")
    func reproducible() throws {
        let scratch = try Scratch()
        let layout = try scratch.busyboxLayout()
        try Tool.actool.run(["build", layout, scratch.path("a.aci")])
        // A later build, at another time, must give the same bytes.
        Thread.sleep(forTimeInterval: 1.1)
        try Tool.actool.run(["build", layout, scratch.path("b.aci")])
        let first = try Data(contentsOf: URL(fileURLWithPath: scratch.path("a.aci")))
        let second = try Data(contentsOf: URL(fileURLWithPath: scratch.path("b.aci")))
        #expect(!first.isEmpty)
        #expect(first == second)
    }

    @Test("an existing output is refused without --overwrite and left untouched")
    func refusesExisting() throws {
        let scratch = try Scratch()
        let layout = try scratch.busyboxLayout()
        let output = try scratch.write("out.aci", "keep me")
        let result = try Tool.actool.run(["build", layout, output])
        #expect(result.status == 1)
        #expect(result.stderr.contains("build: Target file exists (try --overwrite)"))
        #expect(try String(contentsOfFile: output, encoding: .utf8) == "keep me")
    }
}
