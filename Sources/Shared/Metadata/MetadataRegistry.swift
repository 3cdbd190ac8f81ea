import Synchronization

/// The pods registered with the metadata service, found by token (the apps' requests) or by UUID
/// (registration, and signatures to verify). Thread-safe: the service's threads share it.
public final class MetadataRegistry: Sendable {
    private struct State {
        var byToken: [String: MetadataPod] = [:]
        var tokenByUUID: [PodUUID: String] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    /// Registers a pod; one registered before under the same UUID is replaced (its token ends).
    public func add(_ pod: MetadataPod) {
        state.withLock { state in
            if let old = state.tokenByUUID[pod.uuid] { state.byToken[old] = nil }
            state.byToken[pod.token] = pod
            state.tokenByUUID[pod.uuid] = pod.token
        }
    }

    /// Records an app's image manifest; false when no pod has that UUID.
    public func addImageManifest(_ manifest: [UInt8], app: String, pod uuid: PodUUID) -> Bool {
        state.withLock { state in
            guard let token = state.tokenByUUID[uuid] else { return false }
            state.byToken[token]?.imageManifests[app] = manifest
            return true
        }
    }

    /// Forgets a pod (its token no longer opens anything); false when it was not registered.
    @discardableResult
    public func remove(_ uuid: PodUUID) -> Bool {
        state.withLock { state in
            guard let token = state.tokenByUUID.removeValue(forKey: uuid) else { return false }
            state.byToken[token] = nil
            return true
        }
    }

    /// The pod this token stands for.
    public func pod(token: String) -> MetadataPod? {
        state.withLock { $0.byToken[token] }
    }

    /// The pod registered under this UUID.
    public func pod(uuid: PodUUID) -> MetadataPod? {
        state.withLock { state in state.tokenByUUID[uuid].flatMap { state.byToken[$0] } }
    }

    /// How many pods are registered.
    public var count: Int { state.withLock { $0.byToken.count } }
}
