/// Stage0's side of the metadata service (`rkt run --mds-register`): rkt's registration requests
/// over the service's unix socket (libcurl). The process that registers a pod must be the one
/// that becomes its stage1 (rkt execs it): the pod stays registered while that process runs.
public struct MetadataClient: Sendable {
    public let socket: String

    public init(socket: String = MetadataService.socketPath) {
        self.socket = socket
    }

    /// Throws `MetadataError.unreachable` unless a service answers on the socket.
    public func checkAvailable() throws {
        _ = try send("GET", "/")
    }

    /// Registers the pod (its manifest, and each app's image manifest) under a new token.
    public func register(_ pod: Pod) throws -> MetadataRegistration {
        let token = MetadataToken.random()
        let podPath = "/pods/\(pod.uuid)"
        let answer = try send("PUT", "\(podPath)?token=\(token)", body: try pod.manifestBytes(), expecting: 200)
        do {
            for app in try pod.manifest().apps ?? [] {
                let manifest = try FileIO.readFile(pod.layout.appManifest(app.name.value), limit: ImageManifest.maximumSize)
                _ = try send("PUT", "\(podPath)/\(app.name.value)", body: manifest, expecting: 200)
            }
        } catch {
            _ = try? send("DELETE", podPath)
            throw error
        }
        let port = answer.header(MetadataRegistrar.portHeader).flatMap(Int.init) ?? MetadataServiceURL.defaultPort
        return MetadataRegistration(token: token, port: port)
    }

    private func send(_ method: String, _ path: String, body: [UInt8]? = nil, expecting status: Int? = nil) throws -> HTTPResponse {
        var request = HTTPRequest(url: "http://localhost\(path)", headers: [(name: "Content-Type", value: "application/json")],
                                  deadline: Deadline(seconds: 10))
        request.method = method
        request.body = body
        request.unixSocket = socket
        let response: HTTPResponse
        do {
            response = try HTTPClient.send(request)
        } catch let error as HTTPError {
            // libcurl's words would speak of "localhost port 80", the URL's stand-in for the socket.
            if case .failed = error { throw MetadataError.unreachable(socket: socket) }
            throw error
        }
        if let status, response.status != status {
            throw MetadataError.refused(socket: socket, request: "\(method) \(path.split(separator: "?").first ?? "")", status: response.status)
        }
        return response
    }
}
