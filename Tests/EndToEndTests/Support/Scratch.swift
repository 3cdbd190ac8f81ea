import Foundation

/// A temporary directory for one test, removed when the test ends.
final class Scratch {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("rkt-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// A path inside the directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes a file (creating parent directories).
    @discardableResult
    func write(_ name: String, _ contents: String, mode: Int = 0o644) throws -> String {
        try write(name, Data(contents.utf8), mode: mode)
    }

    @discardableResult
    func write(_ name: String, _ contents: Data, mode: Int = 0o644) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return file.path
    }

    /// Creates an image layout: `manifest` plus a rootfs holding busybox (`/bin/busybox`, `/bin/sh`).
    @discardableResult
    func busyboxLayout(_ name: String = "layout", manifest: String = Scratch.defaultManifest) throws -> String {
        let root = url.appendingPathComponent(name)
        let bin = root.appendingPathComponent("rootfs/bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: "/bin/busybox", toPath: bin.appendingPathComponent("busybox").path)
        try FileManager.default.createSymbolicLink(atPath: bin.appendingPathComponent("sh").path, withDestinationPath: "busybox")
        try Data(manifest.utf8).write(to: root.appendingPathComponent("manifest"))
        return root.path
    }

    static let defaultManifest = """
        {"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/busybox",
         "labels":[{"name":"version","value":"1.0.0"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],
         "app":{"exec":["/bin/sh","-c","echo hello"],"user":"0","group":"0"}}
        """
}
