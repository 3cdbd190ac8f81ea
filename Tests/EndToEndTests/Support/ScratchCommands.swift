import Foundation
import TestSupport

/// One member of a tar archive as Python's tarfile reads it (testdata/actool/tar_listing.py).
struct TarMember: Decodable, Equatable, CustomStringConvertible {
    var name: String
    var type: String
    var mode: Int
    var uid: Int
    var gid: Int
    var uname: String
    var gname: String
    var mtime: Int
    var size: Int
    var linkname: String
    var devmajor: Int
    var devminor: Int
    var xattrs: [String: String]
    var sha256: String?

    var description: String { "\(type) \(name)\(linkname.isEmpty ? "" : " -> \(linkname)")" }
}

/// What a path in the scratch directory holds, for before/after comparisons.
enum FileState: Equatable {
    case file(Data)
    case directory
    case symlink(String)
    case other
}

extension Scratch {
    private func directoryURL(_ directory: String?) -> URL {
        directory.map { url.appendingPathComponent($0) } ?? url
    }

    /// `actool ARGUMENTS…`, run in the scratch directory (or in `directory` below it).
    @discardableResult
    func actool(_ arguments: String..., in directory: String? = nil, stdin: Data? = nil,
                environment: [String: String] = [:]) throws -> Tool.Result {
        try Tool.actool.run(arguments, stdin: stdin, in: directoryURL(directory), environment: environment)
    }

    /// The reference `actool ARGUMENTS…`, run in the scratch directory.
    @discardableResult
    func referenceActool(_ arguments: String..., in directory: String? = nil, stdin: Data? = nil,
                         environment: [String: String] = [:]) throws -> Tool.Result {
        try Tool.execute(Peer.actool, arguments, stdin: stdin, in: directoryURL(directory), environment: environment)
    }

    /// `sh -c COMMAND` in the scratch directory: peers such as tar, gzip, ln, mkfifo, openssl.
    /// `$ACTOOL` names our actool.
    @discardableResult
    func shell(_ command: String, in directory: String? = nil, stdin: Data? = nil,
               environment: [String: String] = [:]) throws -> Tool.Result {
        var environment = environment
        environment["ACTOOL"] = Tool.actool.path
        return try Tool.execute("/bin/sh", ["-c", command], stdin: stdin, in: directoryURL(directory), environment: environment)
    }

    /// A Python script from testdata/actool, run in the scratch directory.
    @discardableResult
    func python(_ script: String, _ arguments: [String], in directory: String? = nil) throws -> Tool.Result {
        try Tool.execute(Peer.python, [TestData.path("actool/\(script)")] + arguments, in: directoryURL(directory))
    }

    /// `make_tar.py OUTPUT [--gzip|--bzip2|--xz] MEMBER…`: an archive written exactly as told
    /// (see testdata/actool/make_tar.py for the member syntax).
    func makeTar(_ output: String, _ members: String..., in directory: String? = nil) throws {
        try python("make_tar.py", [output] + members, in: directory).check("make_tar.py \(output)")
    }

    /// The members of an archive, read by Python's tarfile.
    func members(_ archive: String) throws -> [TarMember] {
        let result = try python("tar_listing.py", [archive]).check("tar_listing.py \(archive)")
        return try JSONDecoder().decode([TarMember].self, from: result.stdoutBytes)
    }

    /// Every path below the scratch directory (hidden ones too) with what it holds.
    func snapshot() throws -> [String: FileState] {
        var result: [String: FileState] = [:]
        func visit(_ relative: String) throws {
            let full = relative.isEmpty ? url.path : path(relative)
            for name in try FileManager.default.contentsOfDirectory(atPath: full) {
                let child = relative.isEmpty ? name : "\(relative)/\(name)"
                let attributes = try FileManager.default.attributesOfItem(atPath: path(child))
                switch attributes[.type] as? FileAttributeType {
                case .typeDirectory?:
                    result[child] = .directory
                    try visit(child)
                case .typeRegular?: result[child] = .file(try data(child))
                case .typeSymbolicLink?: result[child] = .symlink(try FileManager.default.destinationOfSymbolicLink(atPath: path(child)))
                default: result[child] = .other
                }
            }
        }
        try visit("")
        return result
    }

    /// The names in a directory of the scratch directory, hidden ones too, sorted.
    func listing(_ directory: String = "") throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.isEmpty ? url.path : path(directory)).sorted()
    }
}

extension Scratch {
    /// Whether this file system takes `user.*` extended attributes (tmpfs without user xattrs, some
    /// overlay setups do not). Probed on a file of the scratch directory.
    func supportsUserXattrs() throws -> Bool {
        try write(".xattr-probe", "")
        defer { try? FileManager.default.removeItem(atPath: path(".xattr-probe")) }
        return try shell("\(Peer.python) -c 'import os; os.setxattr(\".xattr-probe\", \"user.probe\", b\"1\")'").status == 0
    }

    /// The busybox layout (or with `small`, the small layout) plus one file of every kind a build
    /// must handle: a file owned by 1234:5678 with mode 0640 and two more names (hard links), an
    /// absolute symlink, a fifo, a character device, a sticky directory, a setuid file, and (where
    /// the file system allows) an extended attribute `user.x=value` on `rootfs/etc/hello`.
    @discardableResult
    func fileKindsLayout(_ name: String = "layout", small: Bool = false, manifest: String = Scratch.defaultManifest) throws -> String {
        let layout = small ? try smallLayout(name, manifest: manifest) : try busyboxLayout(name, manifest: manifest)
        try write("\(name)/rootfs/etc/hello", "hello\n", mode: 0o640)
        try shell("""
            cd \(name)/rootfs && \
            chown 1234:5678 etc/hello && \
            ln etc/hello etc/hardlink && ln etc/hello zz-third-name && \
            ln -s /proc/self/mounts etc/mtab && \
            mkdir run dev tmp && mkfifo run/fifo && mknod dev/null c 1 3 && chmod 1777 tmp && \
            cp \(small ? "etc/hello" : "bin/busybox") bin/su && chmod 4755 bin/su
            """).check("file kinds layout")
        if try supportsUserXattrs() {
            try shell("\(Peer.python) -c 'import os; os.setxattr(\"\(name)/rootfs/etc/hello\", \"user.x\", b\"value\")'").check("setxattr")
        }
        return layout
    }
}

extension Scratch {
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

    /// A small image layout (a few bytes, quick to compress): `manifest` plus a rootfs holding
    /// `etc/hello`, `bin/` and the symlink `bin/sh -> ../etc/hello`.
    @discardableResult
    func smallLayout(_ name: String = "layout", manifest: String = Scratch.defaultManifest) throws -> String {
        try write("\(name)/manifest", manifest)
        try write("\(name)/rootfs/etc/hello", "hello\n")
        try FileManager.default.createDirectory(atPath: path("\(name)/rootfs/bin"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: path("\(name)/rootfs/bin/sh"), withDestinationPath: "../etc/hello")
        return path(name)
    }
}

extension Scratch {
    /// Runs `arguments` on a pseudo-terminal (testdata/sign/pty_session.py), typing each of
    /// `answers` when `prompt` appears. Standard output holds everything the terminal showed
    /// (the program's standard output and error together); the status is the program's.
    func onTerminal(_ arguments: [String], prompt: String, answers: [String], environment: [String: String] = [:]) throws -> Tool.Result {
        try Tool.execute(Peer.python, [TestData.path("sign/pty_session.py"), prompt] + answers + ["--"] + arguments,
                         in: url, environment: environment)
    }
}
