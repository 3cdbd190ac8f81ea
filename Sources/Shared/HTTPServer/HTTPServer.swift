import CMicroHTTPD
import Glibc

/// An HTTP/1.1 server (libmicrohttpd) on a TCP port or a unix socket. It answers on its own
/// threads, calling `handler` once per complete request; the handler must be thread-safe.
public final class HTTPServer {
    /// Where to listen.
    public enum Address: Sendable {
        /// Every IPv4 address; port 0 for one the kernel picks (`port` tells which).
        case tcp(port: Int)
        /// A unix socket at this path, with this mode (a stale socket file there is replaced).
        case unix(path: String, mode: mode_t)
    }

    public typealias Handler = @Sendable (HTTPServerRequest) -> HTTPServerResponse

    /// The TCP port listened on (nil for a unix socket).
    public let port: Int?
    private let server: OpaquePointer
    private let box: Unmanaged<HandlerBox>
    private let socketPath: String?

    /// Starts serving. `bodyLimit` bounds request bodies (larger ones are answered 413).
    public init(_ address: Address, threads: Int = 2, bodyLimit: Int = 1 << 20, handler: @escaping Handler) throws {
        var error = [CChar](repeating: 0, count: 512)
        var boundPort: UInt32 = 0
        let fd: Int32
        switch address {
        case .tcp(let port):
            fd = rkt_httpd_listen_tcp(UInt32(port), &boundPort, &error, error.count)
            self.port = Int(boundPort)
            socketPath = nil
        case .unix(let path, let mode):
            fd = rkt_httpd_listen_unix(path, mode, &error, error.count)
            self.port = nil
            socketPath = path
        }
        guard fd >= 0 else { throw HTTPServerError.listen(reason: String(buffer: error)) }
        let box = Unmanaged.passRetained(HandlerBox(handler))
        guard let server = rkt_httpd_start(fd, UInt32(threads), bodyLimit, { context, request in
            HTTPServer.serve(Unmanaged<HandlerBox>.fromOpaque(context!).takeUnretainedValue().handler, request!)
        }, box.toOpaque(), &error, error.count) else {
            box.release()
            if let socketPath { unlink(socketPath) }
            throw HTTPServerError.start(reason: String(buffer: error))
        }
        self.server = server
        self.box = box
    }

    /// Stops serving (and removes the unix socket).
    deinit {
        rkt_httpd_stop(server)
        box.release()
        if let socketPath { unlink(socketPath) }
    }

    private static func serve(_ handler: Handler, _ request: OpaquePointer) {
        var length = 0
        let body = rkt_httpd_body(request, &length).map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
        var pid: pid_t = 0
        var uid: uid_t = 0
        let peer = rkt_httpd_peer(request, &pid, &uid) == 0 ? HTTPServerRequest.Peer(pid: pid, uid: uid) : nil
        let parsed = HTTPServerRequest(
            method: String(cString: rkt_httpd_method(request)), path: String(cString: rkt_httpd_path(request)),
            headers: values(request, RKT_HTTPD_HEADER), query: Dictionary(values(request, RKT_HTTPD_QUERY)) { first, _ in first },
            form: Dictionary(values(request, RKT_HTTPD_FORM)) { first, _ in first }, body: body, peer: peer)
        let response = handler(parsed)
        _ = response.body.withUnsafeBytes { body in
            rkt_httpd_respond(request, UInt32(response.status), response.contentType, body.baseAddress, body.count,
                              response.header?.name, response.header?.value)
        }
    }

    private static func values(_ request: OpaquePointer, _ kind: rkt_httpd_kind) -> [(String, String)] {
        var values: [(String, String)] = []
        withUnsafeMutablePointer(to: &values) { pointer in
            rkt_httpd_each(request, kind, { context, name, value in
                let values = context!.assumingMemoryBound(to: [(String, String)].self)
                values.pointee.append((String(cString: name!), String(cString: value!)))
            }, pointer)
        }
        return values
    }

    /// Holds the handler for the C callbacks.
    private final class HandlerBox: Sendable {
        let handler: Handler
        init(_ handler: @escaping Handler) { self.handler = handler }
    }
}
