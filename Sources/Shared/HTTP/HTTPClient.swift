import CCurl
import Glibc

/// HTTP(S) over libcurl, GET unless the request says otherwise: TLS verification on by default (a custom CA from `SSL_CERT_FILE` /
/// `SSL_CERT_DIR`), only http and https, redirects followed but never from https down to http
/// unless allowed, bodies bounded while they stream, transfers below the minimum speed dropped,
/// answers that have not begun by the deadline given up, SIGINT/SIGTERM (`Interruption`) obeyed.
public enum HTTPClient {
    /// Fetches a body into memory (refusing more than `request.bodyLimit`). The whole request must
    /// be done by the request's deadline.
    public static func get(_ request: HTTPRequest) throws -> HTTPResponse {
        try send(request)
    }

    /// Sends a request of any method (its body, if any) and collects the response's body, as `get`.
    public static func send(_ request: HTTPRequest) throws -> HTTPResponse {
        var body: [UInt8] = []
        var response = try perform(request, wholeBeforeDeadline: true) { chunk in body.append(contentsOf: chunk) }
        response.body = body
        return response
    }

    /// Streams the body of a successful (2xx) response to `sink`; `start` is told the status and
    /// headers once they are complete, before the first byte (an error it throws ends the
    /// transfer); `progress` sees bytes so far and the total if known. Error statuses are returned
    /// without calling `start` or `sink`. Only the answer's beginning is held to the deadline.
    public static func download(
        _ request: HTTPRequest,
        start: @escaping (Int, [(name: String, value: String)]) throws -> Void = { _, _ in },
        to sink: ByteSink,
        progress: ((Int64, Int64?) -> Void)? = nil
    ) throws -> HTTPResponse {
        try perform(request, wholeBeforeDeadline: false, start: start, sink: { try sink.write($0) }, progress: progress)
    }

    private static func perform(
        _ request: HTTPRequest,
        wholeBeforeDeadline: Bool,
        start: @escaping (Int, [(name: String, value: String)]) throws -> Void = { _, _ in },
        sink: (UnsafeRawBufferPointer) throws -> Void,
        progress: ((Int64, Int64?) -> Void)? = nil
    ) throws -> HTTPResponse {
        guard rkt_curl() != nil else { throw HTTPError.unavailable(reason: String(cString: rkt_curl_load_error())) }
        guard let handle = rkt_curl_easy_init() else { throw HTTPError.unavailable(reason: "curl_easy_init failed") }
        defer { rkt_curl_easy_cleanup(handle) }
        try Interruption.check()
        return try withoutActuallyEscaping(sink) { sink in
            let transfer = Transfer(request: request, start: start, sink: sink, progress: progress)
            let context = Unmanaged.passUnretained(transfer).toOpaque()
            var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
            var headerList: UnsafeMutablePointer<curl_slist>?
            defer { rkt_curl_slist_free_all(headerList) }
            for header in request.headers {
                headerList = rkt_curl_slist_append(headerList, "\(header.name): \(header.value)")
            }
            let requestBody = request.body ?? []
            let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in requestBody.withUnsafeBytes { requestBody in
                rkt_curl_setopt_string(handle, CURLOPT_URL, request.url)
                if request.method != "GET" { rkt_curl_setopt_string(handle, CURLOPT_CUSTOMREQUEST, request.method) }
                if request.body != nil {
                    rkt_curl_setopt_off(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(requestBody.count))
                    // Never NULL: libcurl would then read the body from standard input.
                    let bytes = requestBody.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
                    rkt_curl_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes))
                }
                if let socket = request.unixSocket { rkt_curl_setopt_string(handle, CURLOPT_UNIX_SOCKET_PATH, socket) }
                rkt_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
                rkt_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                rkt_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
                let downgrade = request.allowHTTPDowngrade || !request.url.lowercased().hasPrefix("https:")
                rkt_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, downgrade ? "http,https" : "https")
                rkt_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
                rkt_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 10)
                // A proxy's answer to CONNECT is not the server's: it must not count as the answer.
                rkt_curl_setopt_long(handle, CURLOPT_SUPPRESS_CONNECT_HEADERS, 1)
                rkt_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, min(20_000, request.deadline?.remainingMilliseconds ?? 20_000))
                if wholeBeforeDeadline, let deadline = request.deadline {
                    rkt_curl_setopt_long(handle, CURLOPT_TIMEOUT_MS, deadline.remainingMilliseconds)
                }
                rkt_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, request.limits.minimumSpeed)
                rkt_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, request.limits.minimumSpeedTime)
                rkt_curl_setopt_string(handle, CURLOPT_USERAGENT, "rkt-suite/\(SuiteVersion.current)")
                if let caFile = getenv("SSL_CERT_FILE") { rkt_curl_setopt_pointer(handle, CURLOPT_CAINFO, caFile) }
                if let caPath = getenv("SSL_CERT_DIR") { rkt_curl_setopt_pointer(handle, CURLOPT_CAPATH, caPath) }
                if request.insecureTLS {
                    rkt_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
                    rkt_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
                }
                if let headerList { rkt_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) }
                if let offset = request.rangeStart {
                    // CURLOPT_RANGE, not RESUME_FROM: libcurl would fail a 200 answer ("Cannot
                    // resume"), which is what a server without ranges or a changed file sends.
                    rkt_curl_setopt_string(handle, CURLOPT_RANGE, "\(offset)-")
                } else {
                    // Refused on an announced Content-Length; bodies without one are counted by Transfer.
                    rkt_curl_setopt_off(handle, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(request.bodyLimit.bytes))
                }
                rkt_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
                rkt_curl_setopt_write(handle) { data, size, count, context in
                    let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                    return transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
                }
                rkt_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
                rkt_curl_setopt_header(handle) { data, size, count, context in
                    let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                    return transfer.header(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
                }
                // Called at least once a second, even while nothing arrives.
                rkt_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
                rkt_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
                rkt_curl_setopt_xferinfo(handle) { context, total, now, _, _ in
                    let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                    return transfer.tick(received: Int64(now), total: total > 0 ? Int64(total) : nil) ? 0 : 1
                }
                return rkt_curl_easy_perform(handle)
            } }
            if let error = transfer.error { throw error }
            if code != CURLE_OK { throw failure(code, request: request, handle: handle, errorBuffer: errorBuffer) }
            var status = 0
            rkt_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            var effective: UnsafeMutablePointer<CChar>?
            rkt_curl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective)
            return HTTPResponse(status: status, headers: transfer.headers,
                                url: effective.map { String(cString: $0) } ?? request.url, body: [])
        }
    }

    /// The error for a failed transfer, a limit's own case when a limit ended it.
    private static func failure(_ code: CURLcode, request: HTTPRequest, handle: UnsafeMutableRawPointer, errorBuffer: [CChar]) -> HTTPError {
        if code == CURLE_FILESIZE_EXCEEDED { return .tooLarge(url: request.url, limit: request.bodyLimit) }
        if code == CURLE_OPERATION_TIMEDOUT {
            if let deadline = request.deadline, deadline.hasPassed { return .deadlinePassed(url: request.url, seconds: deadline.seconds) }
            // Once the request is sent, only the speed limit times a transfer out.
            var sent: curl_off_t = 0
            rkt_curl_getinfo_off(handle, CURLINFO_PRETRANSFER_TIME_T, &sent)
            if sent > 0 { return .tooSlow(url: request.url, limits: request.limits) }
        }
        let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let reason = String(cString: rkt_curl_easy_strerror(code))
        return .failed(url: request.url, reason: detail.isEmpty ? reason : "\(reason): \(detail)")
    }

    /// The state of one transfer, reached from libcurl's C callbacks.
    private final class Transfer {
        let request: HTTPRequest
        let start: (Int, [(name: String, value: String)]) throws -> Void
        let sink: (UnsafeRawBufferPointer) throws -> Void
        let progress: ((Int64, Int64?) -> Void)?
        var headers: [(name: String, value: String)] = []
        var status = 0
        /// The final response's headers are complete (redirects and 1xx are not final).
        var answered = false
        /// Where the body starts in the representation (the range's start for a 206).
        var base: Int64 = 0
        var received: Int64 = 0
        var error: Error?

        init(request: HTTPRequest, start: @escaping (Int, [(name: String, value: String)]) throws -> Void,
             sink: @escaping (UnsafeRawBufferPointer) throws -> Void, progress: ((Int64, Int64?) -> Void)?) {
            self.request = request
            self.start = start
            self.sink = sink
            self.progress = progress
        }

        var isSuccess: Bool { (200..<300).contains(status) }

        /// Takes body bytes; false ends the transfer (`error` says why).
        func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
            received += Int64(bytes.count)
            // Bodies of error statuses and redirects are not the caller's data, but they count.
            guard base + received <= request.bodyLimit.bytes else { return fail(HTTPError.tooLarge(url: request.url, limit: request.bodyLimit)) }
            guard isSuccess else { return true }
            do {
                try sink(bytes)
                return true
            } catch {
                return fail(error)
            }
        }

        /// Takes a header line; false ends the transfer.
        func header(_ bytes: UnsafeRawBufferPointer) -> Bool {
            // Bytes, not Characters: "\r\n" is a single Character in Swift.
            var end = bytes.count
            while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
            if line.hasPrefix("HTTP/") {
                headers = []
                status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
                answered = false
            } else if let colon = line.firstIndex(of: ":") {
                let name = String(line[..<colon])
                let value = line[line.index(after: colon)...].trimmingCharacters(in: [" ", "\t"])
                headers.append((name, value))
            } else if line.isEmpty && !(100..<200).contains(status) && !isRedirect {
                return answer()
            }
            return true
        }

        /// A response libcurl follows to another (its headers are not the answer).
        private var isRedirect: Bool {
            (300..<400).contains(status) && headers.contains { $0.name.lowercased() == "location" }
        }

        /// The final response's headers are complete.
        private func answer() -> Bool {
            answered = true
            received = 0
            base = status == 206 ? request.rangeStart ?? 0 : 0
            let announced = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int64($0.value) }
            if let announced, base + announced > request.bodyLimit.bytes {
                return fail(HTTPError.tooLarge(url: request.url, limit: request.bodyLimit))
            }
            guard isSuccess else { return true }
            do {
                try start(status, headers)
                return true
            } catch {
                return fail(error)
            }
        }

        /// libcurl's progress callback; false ends the transfer.
        func tick(received now: Int64, total: Int64?) -> Bool {
            if let signal = Interruption.signal { return fail(Interrupted(signal: signal)) }
            if !answered, let deadline = request.deadline, deadline.hasPassed {
                return fail(HTTPError.deadlinePassed(url: request.url, seconds: deadline.seconds))
            }
            progress?(now, total)
            return true
        }

        private func fail(_ error: Error) -> Bool {
            self.error = error
            return false
        }
    }
}

private extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return String(text)
    }
}
