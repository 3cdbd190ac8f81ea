import Glibc

/// The registration half of the metadata service, on its unix socket, with rkt's protocol:
/// `PUT /pods/UUID?token=T` (the pod manifest), `PUT /pods/UUID/APP` (each app's image manifest),
/// `DELETE /pods/UUID`. The pod stays registered while the process that registered it runs — rkt
/// registers from stage0, which then becomes the pod's stage1 — and no longer: its end unregisters it.
public struct MetadataRegistrar: Sendable {
    public let registry: MetadataRegistry
    /// Learns when registering processes end.
    public let watcher: ProcessExitWatcher
    /// The public port, sent back in the `portHeader` of a pod's registration.
    public let publicPort: Int

    /// The header telling stage0 which port apps reach the service on (`--listen-port`).
    public static let portHeader = "Rkt-Metadata-Port"

    public init(registry: MetadataRegistry, watcher: ProcessExitWatcher, publicPort: Int) {
        self.registry = registry
        self.watcher = watcher
        self.publicPort = publicPort
    }

    public func answer(_ request: HTTPServerRequest) -> HTTPServerResponse {
        // The socket's mode admits only root; another server's owner is refused all the same.
        if let peer = request.peer, peer.uid != 0, peer.uid != geteuid() { return .text(403, "registration is for root\n") }
        let components = request.path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        guard components.count >= 2, components.count <= 3, components[0] == "pods" else { return .text(404, "not found\n") }
        guard let uuid = try? PodUUID(components[1]) else { return .text(400, "UUID is missing or malformed\n") }
        switch (request.method, components.count) {
        case ("PUT", 2): return registerPod(uuid, request)
        case ("PUT", 3): return registerApp(components[2], of: uuid, request)
        case ("DELETE", 2): return registry.remove(uuid) ? .text(200, "") : .text(404, "pod not found\n")
        default: return .text(405, "method not allowed\n")
        }
    }

    private func registerPod(_ uuid: PodUUID, _ request: HTTPServerRequest) -> HTTPServerResponse {
        guard let token = request.query["token"], MetadataToken.isWellFormed(token) else {
            return .text(400, "token missing or malformed (32 hex digits)\n")
        }
        let pod: MetadataPod
        do {
            pod = try MetadataPod(uuid: uuid, token: token, manifest: request.body)
        } catch {
            return .text(400, "pod manifest: \(error)\n")
        }
        if let peer = request.peer {
            do {
                try watcher.watch(peer.pid, key: token)
            } catch {
                return .text(400, "the registering process (\(peer.pid)) has ended\n")
            }
        }
        registry.add(pod)
        return .text(200, "", header: (Self.portHeader, String(publicPort)))
    }

    private func registerApp(_ name: String, of uuid: PodUUID, _ request: HTTPServerRequest) -> HTTPServerResponse {
        do {
            _ = try ImageManifest.decode(request.body)
        } catch {
            return .text(400, "image manifest of \(quoted(name)): \(error)\n")
        }
        guard registry.pod(uuid: uuid)?.app(name) != nil else { return .text(404, "pod or app not found\n") }
        return registry.addImageManifest(request.body, app: name, pod: uuid) ? .text(200, "") : .text(404, "pod not found\n")
    }
}
