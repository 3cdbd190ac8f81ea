import Glibc

/// A pod directory and what it says: its UUID, state, manifest, times, pid and app statuses.
public struct Pod: Sendable {
    public let uuid: PodUUID
    public let state: PodState
    public let layout: PodLayout

    public var directory: String { layout.root }

    /// The pod manifest, if written yet.
    public func manifest() throws -> PodManifest {
        try PodManifest.decode(try FileIO.readFile(layout.manifest, limit: 16 << 20))
    }

    /// The manifest's bytes exactly as written.
    public func manifestBytes() throws -> [UInt8] { try FileIO.readFile(layout.manifest, limit: 16 << 20) }

    /// When the pod was created (nanoseconds since the epoch).
    public var created: Int64? { Self.modificationTime(layout.created) }

    /// When stage1 started it (the pid file's time).
    public var started: Int64? { Self.modificationTime(layout.pid) }

    /// The host pid of the pod's process 1.
    public var pid: pid_t? {
        (try? FileIO.readFile(layout.pid, limit: 64)).flatMap { pid_t(String(decoding: $0, as: UTF8.self).trimmingSpaces()) }
    }

    /// The tree-store IDs of the rendered images the apps stand on (`appsinfo/NAME/tree` links).
    public var treeIDs: [String] {
        let directory = "\(layout.root)/appsinfo"
        return ((try? DirectoryWalker.sortedNames(atPath: directory)) ?? []).compactMap { app in
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX))
            let count = readlink(layout.appTree(app), &buffer, buffer.count - 1)
            guard count > 0 else { return nil }
            let target = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return target.split(separator: "/").last.map(String.init)
        }
    }

    /// The networks stage1 recorded for the pod (`net-info.json`); none for a pod without.
    public var networks: [NetworkInfo] {
        (try? FileIO.readFile(layout.networkInfo, limit: 1 << 20)).flatMap { try? NetworkInfo.decode($0) } ?? []
    }

    /// `default:ip4=172.16.28.5, …`, as `rkt list` and `rkt status` show the networks.
    public var networksSummary: String { networks.map(\.summary).joined(separator: ", ") }

    /// The exit status stage1 recorded for an app.
    public func exitStatus(_ app: String) -> Int32? {
        (try? FileIO.readFile(layout.status(app), limit: 64)).flatMap { Int32(String(decoding: $0, as: UTF8.self).trimmingSpaces()) }
    }

    static func modificationTime(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
    }
}
