import Foundation
import TestSupport

/// The attacker's tool for the isolation tests (testdata/probes/probe.c): one system call per
/// command, reported as `NAME=0` or `NAME=ERRNO`. Built once per test run, statically, because
/// the test images hold busybox and nothing to link against.
enum Probe {
    private static let built: Result<String, Error> = Result {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("rkt-e2e-probe-\(getpid())").path
        try Tool.execute("/usr/bin/cc", ["-static", "-O2", "-o", output, TestData.path("probes/probe.c")]).check("cc probe.c")
        return output
    }

    /// The static probe executable.
    static func binary() throws -> String { try built.get() }

    /// Copies the probe into an image rootfs as `/bin/probe` (for `PodHome.image(customize:)`).
    static func install(in rootfs: String) throws {
        try FileManager.default.copyItem(atPath: try binary(), toPath: "\(rootfs)/bin/probe")
    }

    /// The value a probe printed for `name` (`open-rw=EACCES` → `EACCES`), or nil.
    static func value(_ name: String, in output: String) -> String? {
        output.split(separator: "\n").last { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1)) }
    }
}
