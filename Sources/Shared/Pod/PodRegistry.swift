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
        guard try lock.tryLock() else { throw PodError.newPodLocked(uuid) }
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

    /// The tree-store IDs of the rendered images the pods' apps stand on.
    public func treesInUse() throws -> Set<String> {
        Set(try pods().flatMap(\.treeIDs))
    }

    /// The store keys of the images running pods were made from (`image gc` keeps them, as rkt did).
    public func imagesInUse() throws -> Set<String> {
        Set(try pods().filter { $0.state == .running }.flatMap { pod in
            ((try? pod.manifest().apps) ?? []).compactMap { $0.image.id?.storeKey }
        })
    }

    /// Every pod, in every state.
    public func pods() throws -> [Pod] {
        var result: [Pod] = []
        for directory in ["embryo", "prepare", "prepared", "run", "exited-garbage", "garbage"] {
            let path = "\(root)/\(directory)"
            for name in try DirectoryWalker.sortedNames(atPath: path) {
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
        guard !prefix.isEmpty else { throw PodError.emptyUUID }
        let matches = try pods().filter { $0.uuid.description.hasPrefix(prefix) && $0.state != .embryo }
        switch matches.count {
        case 0: throw PodError.noMatch(text)
        case 1: return matches[0]
        default: throw PodError.ambiguousUUID(matches: matches.count)
        }
    }
}
