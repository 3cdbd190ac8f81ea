import Glibc

/// What stage0 does to existing pods through their stage1: stop, enter, garbage collection, removal.
public struct PodOperations {
    public let registry: PodRegistry

    public init(registry: PodRegistry) { self.registry = registry }

    /// Runs a stage1 entrypoint (by annotation) from the pod directory and waits for it.
    @discardableResult
    public func runEntrypoint(_ annotation: String, of pod: Pod, arguments: [String]) throws -> Int32 {
        guard let manifest = try? ImageManifest.decode(try FileIO.readFile(pod.layout.stage1Manifest, limit: ImageManifest.maximumSize)),
              let entrypoint = manifest.annotations[annotation] else { return 0 }
        let path = "\(pod.layout.stage1Rootfs)\(entrypoint.hasPrefix("/") ? "" : "/")\(entrypoint)"
        var request = Spawner.Request(path: path, arguments: [path] + arguments, environment: Environment.all())
        request.workingDirectory = pod.directory
        // What it runs (a command entered into the pod) must not outlive `rkt`.
        request.parentDeathSignal = SIGKILL
        return try Spawner.run(request)
    }

    /// `rkt stop`: asks a running pod to stop (or kills it with `force`).
    public func stop(_ pod: Pod, force: Bool) throws {
        guard pod.state == .running else {
            if pod.state.isExited { throw PodError.alreadyStopped(pod.uuid) }
            throw PodError.notRunning(pod.uuid)
        }
        try runEntrypoint(Stage1Selection.stopAnnotation, of: pod, arguments: (force ? ["--force"] : []) + [pod.uuid.description])
    }

    /// `rkt rm`: removes an exited, prepared or aborted pod.
    public func remove(_ pod: Pod) throws {
        switch pod.state {
        case .running, .preparing, .deleting, .exitedDeleting:
            throw PodError.notRemovable(pod.uuid, state: pod.state)
        default:
            try delete(pod)
        }
    }

    /// What `collectGarbage` did, for the messages.
    public struct Collection: Sendable {
        public var marked: [PodUUID] = []
        public var removed: [PodUUID] = []
        public var kept: [PodUUID] = []
    }

    /// `rkt gc`: marks exited pods (and aborted or expired prepared ones) as garbage, then removes
    /// garbage older than the grace period, running each pod's stage1 gc first.
    public func collectGarbage(gracePeriod: Int64, expirePrepared: Int64, markOnly: Bool) throws -> Collection {
        var collection = Collection()
        let now = Int64(time(nil))
        for pod in try registry.pods() {
            switch pod.state {
            case .exited:
                if try registry.move(pod, to: .exitedGarbage) != nil { collection.marked.append(pod.uuid) }
            case .abortedPrepare:
                if try registry.move(pod, to: .garbage) != nil { collection.marked.append(pod.uuid) }
            case .prepared where now - Self.changeTime(pod.directory) >= expirePrepared:
                if try registry.move(pod, to: .garbage) != nil { collection.marked.append(pod.uuid) }
            default:
                break
            }
        }
        guard !markOnly else { return collection }
        for pod in try registry.pods() where pod.state == .exitedGarbage || pod.state == .garbage {
            if pod.state == .exitedGarbage && now - Self.changeTime(pod.directory) < gracePeriod {
                collection.kept.append(pod.uuid)
                continue
            }
            try delete(pod)
            collection.removed.append(pod.uuid)
        }
        return collection
    }

    /// Runs the stage1 gc entrypoint (under the pod's lock) and deletes the directory.
    private func delete(_ pod: Pod) throws {
        let lock = try PodLock(directory: pod.directory)
        guard try lock.tryLock() else { throw PodError.inUse(pod.uuid) }
        let target = pod.state == .exited || pod.state == .exitedGarbage ? PodState.exitedGarbage : .garbage
        let moved = pod.state == target ? pod : try registry.move(pod, to: target)
        guard let moved else { return }
        _ = try? runEntrypoint(Stage1Selection.gcAnnotation, of: moved, arguments: [moved.uuid.description])
        try TreeRemover.remove(moved.directory)
    }

    static func changeTime(_ path: String) -> Int64 {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return Int64(info.st_ctim.tv_sec)
    }
}
