import Foundation
import TestSupport
import XCTest

/// `rkt export`: an exited pod's app as an ACI holding what the app changed.
final class RktExportTests: XCTestCase {
    private static let changingManifest = """
        {"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/changer",
         "labels":[{"name":"version","value":"1.0.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],
         "app":{"exec":["/bin/sh","-c","echo changed > /new; /bin/busybox rm /gone; /bin/busybox mkdir -p /made/deep"],"user":"0","group":"0"}}
        """

    private var scratch: Scratch!

    override func setUpWithError() throws {
        try XCTSkipUnless(geteuid() == 0, "pods need root")
        scratch = try Scratch()
        let layout = try scratch.busyboxLayout(manifest: Self.changingManifest)
        try scratch.write("layout/rootfs/gone", "doomed\n")
        try scratch.actool("build", layout, "changer.aci").check("actool build")
    }

    // XCTest keeps every test case object until the process ends: the scratch directory goes now.
    override func tearDown() { scratch = nil }

    private func rkt(_ arguments: String...) throws -> Tool.Result {
        try Tool.rkt.run(["--dir", scratch.path("data"), "--insecure-options=image"] + arguments, in: scratch.url)
    }

    private func runPod(_ extra: [String] = [], images: [String] = ["changer.aci"]) throws -> String {
        let uuidFile = scratch.path("uuid-\(UUID().uuidString.prefix(6))")
        let result = try Tool.rkt.run(["--dir", scratch.path("data"), "--insecure-options=image", "run",
                                       "--uuid-file-save=\(uuidFile)"] + extra + images, in: scratch.url)
        try result.check("rkt run")
        return try String(contentsOfFile: uuidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func members(_ aci: String) throws -> [String] {
        try scratch.shell("tar tf \(aci)").check("tar").stdout.split(separator: "\n").map(String.init)
    }

    func testExportKeepsTheAppsChangesOverTheImage() throws {
        let uuid = try runPod()
        try rkt("export", uuid, "out.aci").check("rkt export")
        let head = try FileHandle(forReadingFrom: URL(fileURLWithPath: scratch.path("out.aci"))).readData(ofLength: 2)
        XCTAssertEqual([UInt8](head), [0x1f, 0x8b], "rkt writes gzip-compressed ACIs")
        let names = try members("out.aci")
        XCTAssertTrue(names.contains("rootfs/new"))
        XCTAssertTrue(names.contains("rootfs/made/deep/"))
        XCTAssertTrue(names.contains("rootfs/bin/busybox"))
        XCTAssertFalse(names.contains("rootfs/gone"), "a file the app deleted stays deleted")
        XCTAssertFalse(names.contains { $0.contains(".wh.") })
        XCTAssertEqual(try scratch.shell("tar xOf out.aci rootfs/new").stdout, "changed\n")
        XCTAssertEqual(try scratch.shell("tar xOf out.aci manifest").stdout.contains("example.com/changer"), true)
        try scratch.actool("validate", "out.aci").check("actool validate")
        if Tool.installed(Peer.actool) { try scratch.referenceActool("validate", "out.aci").check("reference actool validate") }
        let mounts = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        XCTAssertFalse(mounts.contains(scratch.path("data")), "export leaves no mount on the host")
    }

    func testExportOfANoOverlayPod() throws {
        let uuid = try runPod(["--no-overlay"])
        try rkt("export", uuid, "out.aci").check("rkt export")
        let names = try members("out.aci")
        XCTAssertTrue(names.contains("rootfs/new"))
        XCTAssertFalse(names.contains("rootfs/gone"))
    }

    func testRefusalsLeaveNoOutput() throws {
        let uuid = try runPod(images: ["changer.aci", "--name", "one", "changer.aci", "--name", "two"])
        let several = try rkt("export", uuid, "out.aci")
        XCTAssertEqual(several.status, 254)
        XCTAssertTrue(several.stderr.contains("choose one with --app"), several.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("out.aci")))
        try rkt("export", "--app", "two", uuid, "out.aci").check("rkt export --app")

        let exists = try rkt("export", "--app", "two", uuid, "out.aci")
        XCTAssertEqual(exists.status, 254)
        XCTAssertTrue(exists.stderr.contains("--overwrite"), exists.stderr)
        try rkt("export", "--app", "one", "--overwrite", uuid, "out.aci").check("rkt export --overwrite")

        let prepared = try rkt("prepare", "--quiet", "changer.aci").check("rkt prepare").stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let notExited = try rkt("export", prepared, "prepared.aci")
        XCTAssertEqual(notExited.status, 254)
        XCTAssertTrue(notExited.stderr.contains("pod is not exited. Only exited pods can be exported"), notExited.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("prepared.aci")))

        let extensionless = try rkt("export", "--app", "one", uuid, "out.tar")
        XCTAssertEqual(extensionless.status, 254)
        XCTAssertTrue(extensionless.stderr.contains("extension must be .aci (given out.tar)"), extensionless.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.path("out.tar")))
    }
}
