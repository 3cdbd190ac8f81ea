import Glibc

/// `rkt metadata-service`: the app-facing API on a TCP port and registrations on a unix socket,
/// both served by libmicrohttpd's threads over one registry; the calling thread waits for the
/// registering processes to end (unregistering their pods) and for SIGINT or SIGTERM.
public final class MetadataService {
    /// The default registration socket (rkt's).
    public static let defaultSocket = "/run/rkt/metadata-svc.sock"

    /// The registration socket: `RKT_METADATA_SOCKET` when set (tests), else rkt's.
    public static var socketPath: String { Environment.value("RKT_METADATA_SOCKET") ?? defaultSocket }

    public let registry = MetadataRegistry()
    /// The TCP port apps reach the service on.
    public let port: Int
    public let socket: String
    private let watcher: ProcessExitWatcher
    private let publicServer: HTTPServer
    private let registrationServer: HTTPServer

    /// Starts serving on `port` (0: one the kernel picks) and `socket` (its directory made if
    /// missing). The servers' threads inherit the caller's signal mask: for `run`, block the
    /// signals (`SignalDescriptor`) first.
    public init(port: Int, socket: String, threads: Int = 4) throws {
        watcher = try ProcessExitWatcher()
        let api = MetadataAPI(registry: registry)
        // Form bodies of a few values to sign: 64 KiB is plenty.
        publicServer = try HTTPServer(.tcp(port: port), threads: threads, bodyLimit: 64 << 10) { api.answer($0) }
        self.port = publicServer.port ?? port
        self.socket = socket
        if let slash = socket.lastIndex(of: "/"), slash != socket.startIndex {
            try FileIO.makeDirectories(String(socket[..<slash]))
        }
        let registrar = MetadataRegistrar(registry: registry, watcher: watcher, publicPort: self.port)
        registrationServer = try HTTPServer(.unix(path: socket, mode: 0o600), threads: 1, bodyLimit: 16 << 20) { registrar.answer($0) }
    }

    /// Serves until SIGINT or SIGTERM (which `signals` must have blocked before the servers'
    /// threads started), unregistering each pod whose registering process ends; `log` hears of it.
    public func run(signals: SignalDescriptor, log: (String) -> Void) {
        while true {
            let received = signals.wait(alongside: watcher.descriptor)
            for uuid in unregisterEnded() { log("pod \(uuid) ended: unregistered") }
            if !received.isEmpty { return }
        }
    }

    /// Unregisters the pods whose registering process has ended (without waiting); their UUIDs.
    public func unregisterEnded() -> [PodUUID] {
        watcher.collectEnded().compactMap { token in
            guard let pod = registry.pod(token: token) else { return nil }
            registry.remove(pod.uuid)
            return pod.uuid
        }
    }
}
