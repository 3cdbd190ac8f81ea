import Glibc

/// The pods of a data directory (`pods/{embryo,prepare,prepared,run,exited-garbage,garbage}/<uuid>`):
/// listing, UUID resolution, and state changes by atomic renames, the state told by the directory
/// and an flock on it.
public struct PodRegistry: Sendable {
    public let root: String

    public init(dataDirectory: String) throws {
        root = "\(dataDirectory)/pods"
        for state in ["embryo", "prepare", "prepared", "run", "exited-garbage", "garbage"] {
            try FileIO.makeDirectories("\(root)/\(state)")
        }
    }

    /// A new pod, locked, in `prepare/` (through `embryo/`).
    public func create() throws -> (pod: Pod, lock: PodLock) {
        let uuid = PodUUID.random()
        let embryo = "\(root)/embryo/\(uuid)"
        if mkdir(embryo, 0o750) != 0 { throw SystemCallError("mkdir", path: embryo) }
        let lock = try PodLock(directory: embryo)
        guard try lock.tryLock() else { throw PodError("cannot lock new pod \(uuid)") }
        try FileIO.writeFile("\(embryo)/pod-created", [])
        let prepare = "\(root)/prepare/\(uuid)"
        if rename(embryo, prepare) != 0 { throw SystemCallError("rename to", path: prepare) }
        return (Pod(uuid: uuid, state: .preparing, layout: PodLayout(root: prepare)), lock)
    }

    /// Moves a pod to another state's directory; false when another process moved it first.
    @discardableResult
    public func move(_ pod: Pod, to state: PodState) throws -> Pod? {
        let target = "\(root)/\(state.directory)/\(pod.uuid)"
        if rename(pod.directory, target) != 0 {
            if errno == ENOENT { return nil }
            throw SystemCallError("rename to", path: target)
        }
        return Pod(uuid: pod.uuid, state: state, layout: PodLayout(root: target))
    }

    /// Every pod, in every state.
    public func pods() throws -> [Pod] {
        var result: [Pod] = []
        for directory in ["embryo", "prepare", "prepared", "run", "exited-garbage", "garbage"] {
            let path = "\(root)/\(directory)"
            let fd = try FileIO.open(path, O_RDONLY | O_DIRECTORY)
            defer { close(fd) }
            for name in try DirectoryWalker.sortedNames(fd, path: path) {
                guard let uuid = try? PodUUID(name), let pod = try? pod(uuid, in: directory) else { continue }
                result.append(pod)
            }
        }
        return result
    }

    private func pod(_ uuid: PodUUID, in directory: String) throws -> Pod? {
        let path = "\(root)/\(directory)/\(uuid)"
        let lock = try PodLock(directory: path)
        let locked = try !lock.isFree()
        guard let state = PodState.from(directory: directory, locked: locked) else { return nil }
        return Pod(uuid: uuid, state: state, layout: PodLayout(root: path))
    }

    /// The pod a UUID (or a unique prefix of one) names.
    public func resolve(_ text: String) throws -> Pod {
        let prefix = text.lowercased().trimmingSpaces()
        guard !prefix.isEmpty else { throw PodError("UUID cannot be empty") }
        let matches = try pods().filter { $0.uuid.description.hasPrefix(prefix) && $0.state != .embryo }
        switch matches.count {
        case 0: throw PodError("no matches found for \(quoted(text))")
        case 1: return matches[0]
        default: throw PodError("ambiguous uuid, \(matches.count) matches")
        }
    }
}

/// The flock on a pod directory.
public final class PodLock {
    public let fileDescriptor: Int32

    public init(directory: String) throws {
        fileDescriptor = try FileIO.open(directory, O_RDONLY | O_DIRECTORY)
    }

    deinit { close(fileDescriptor) }

    /// Takes the lock if it is free.
    public func tryLock() throws -> Bool {
        if flock(fileDescriptor, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw SystemCallError("lock pod", path: "")
    }

    /// Whether nobody holds the lock (checked by taking and releasing it).
    public func isFree() throws -> Bool {
        guard try tryLock() else { return false }
        flock(fileDescriptor, LOCK_UN)
        return true
    }
}

/// A pod operation that cannot be done, and why.
public struct PodError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
