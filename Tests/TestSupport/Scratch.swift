import Foundation

/// A temporary directory for one test, removed when the value goes away.
package final class Scratch: @unchecked Sendable {
    package let url: URL

    package init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("rkt-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The directory's path.
    package var path: String { url.path }

    /// A path inside the directory.
    package func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes a file (creating parent directories); returns its path.
    @discardableResult
    package func write(_ name: String, _ contents: String, mode: Int = 0o644) throws -> String {
        try write(name, Data(contents.utf8), mode: mode)
    }

    /// Writes a file (creating parent directories); returns its path.
    @discardableResult
    package func write(_ name: String, _ contents: Data, mode: Int = 0o644) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file.path)
        return file.path
    }

    /// Creates a directory (and its parents); returns its path.
    @discardableResult
    package func directory(_ name: String) throws -> String {
        try FileManager.default.createDirectory(atPath: path(name), withIntermediateDirectories: true)
        return path(name)
    }

    /// The bytes of a file.
    package func data(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(name)))
    }

    /// The text of a file, or nil when it cannot be read.
    package func text(_ name: String) -> String? {
        try? String(contentsOfFile: path(name), encoding: .utf8)
    }

    /// Whether anything (even a dangling symlink) exists at the path.
    package func exists(_ name: String) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: path(name))) != nil
    }
}
