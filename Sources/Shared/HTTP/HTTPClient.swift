import CCurl
import Glibc

/// HTTP(S) GET over libcurl: TLS verification on by default (a custom CA from `SSL_CERT_FILE` /
/// `SSL_CERT_DIR`), only http and https, redirects followed but never from https down to http
/// unless allowed, stalled transfers aborted, bodies bounded or streamed.
public enum HTTPClient {
    /// Fetches a body into memory (refusing more than `request.maximumBodySize`).
    public static func get(_ request: HTTPRequest) throws -> HTTPResponse {
        var body: [UInt8] = []
        var response = try perform(request) { chunk in
            if body.count + chunk.count > request.maximumBodySize {
                throw HTTPError(url: request.url, message: "response larger than \(request.maximumBodySize) bytes")
            }
            body.append(contentsOf: chunk)
        }
        response.body = body
        return response
    }

    /// Streams the body of a successful (2xx) response to `sink`; `start` is told the status and
    /// headers before the first byte; `progress` sees bytes so far and the total if known. Error statuses are
    /// returned without calling `sink`.
    public static func download(
        _ request: HTTPRequest,
        start: @escaping (Int, [(name: String, value: String)]) throws -> Void = { _, _ in },
        to sink: (UnsafeRawBufferPointer) throws -> Void,
        progress: ((Int64, Int64?) -> Void)? = nil
    ) throws -> HTTPResponse {
        try perform(request, start: start, sink: sink, progress: progress)
    }

    private static func perform(
        _ request: HTTPRequest,
        start: @escaping (Int, [(name: String, value: String)]) throws -> Void = { _, _ in },
        sink: (UnsafeRawBufferPointer) throws -> Void,
        progress: ((Int64, Int64?) -> Void)? = nil
    ) throws -> HTTPResponse {
        guard rkt_curl() != nil else {
            throw HTTPError(url: request.url, message: "cannot load libcurl: \(String(cString: rkt_curl_load_error()))")
        }
        guard let handle = rkt_curl_easy_init() else { throw HTTPError(url: request.url, message: "cannot initialise libcurl") }
        defer { rkt_curl_easy_cleanup(handle) }
        return try withoutActuallyEscaping(sink) { sink in
            let transfer = Transfer(start: start, sink: sink, progress: progress)
            let context = Unmanaged.passUnretained(transfer).toOpaque()
            var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
            var headerList: UnsafeMutablePointer<curl_slist>?
            defer { rkt_curl_slist_free_all(headerList) }
            for header in request.headers {
                headerList = rkt_curl_slist_append(headerList, "\(header.name): \(header.value)")
            }
            let code: CURLcode = errorBuffer.withUnsafeMutableBufferPointer { buffer in
                rkt_curl_setopt_string(handle, CURLOPT_URL, request.url)
                rkt_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, buffer.baseAddress)
                rkt_curl_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
                rkt_curl_setopt_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
                let downgrade = request.allowHTTPDowngrade || !request.url.lowercased().hasPrefix("https:")
                rkt_curl_setopt_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, downgrade ? "http,https" : "https")
                rkt_curl_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 1)
                rkt_curl_setopt_long(handle, CURLOPT_MAXREDIRS, 10)
                rkt_curl_setopt_long(handle, CURLOPT_CONNECTTIMEOUT, 20)
                rkt_curl_setopt_long(handle, CURLOPT_LOW_SPEED_LIMIT, 1)
                rkt_curl_setopt_long(handle, CURLOPT_LOW_SPEED_TIME, 60)
                rkt_curl_setopt_string(handle, CURLOPT_USERAGENT, "rkt-suite/\(SuiteVersion.current)")
                if let caFile = getenv("SSL_CERT_FILE") { rkt_curl_setopt_pointer(handle, CURLOPT_CAINFO, caFile) }
                if let caPath = getenv("SSL_CERT_DIR") { rkt_curl_setopt_pointer(handle, CURLOPT_CAPATH, caPath) }
                if request.insecureTLS {
                    rkt_curl_setopt_long(handle, CURLOPT_SSL_VERIFYPEER, 0)
                    rkt_curl_setopt_long(handle, CURLOPT_SSL_VERIFYHOST, 0)
                }
                if let headerList { rkt_curl_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList) }
                if let offset = request.resumeFrom { rkt_curl_setopt_off(handle, CURLOPT_RESUME_FROM_LARGE, curl_off_t(offset)) }
                rkt_curl_setopt_pointer(handle, CURLOPT_WRITEDATA, context)
                rkt_curl_setopt_write(handle) { data, size, count, context in
                    let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                    return transfer.receive(UnsafeRawBufferPointer(start: data, count: size * count)) ? size * count : 0
                }
                rkt_curl_setopt_pointer(handle, CURLOPT_HEADERDATA, context)
                rkt_curl_setopt_header(handle) { data, size, count, context in
                    let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                    transfer.header(UnsafeRawBufferPointer(start: data, count: size * count))
                    return size * count
                }
                if progress != nil {
                    rkt_curl_setopt_long(handle, CURLOPT_NOPROGRESS, 0)
                    rkt_curl_setopt_pointer(handle, CURLOPT_XFERINFODATA, context)
                    rkt_curl_setopt_xferinfo(handle) { context, total, now, _, _ in
                        let transfer = Unmanaged<Transfer>.fromOpaque(context!).takeUnretainedValue()
                        transfer.progress?(Int64(now), total > 0 ? Int64(total) : nil)
                        return 0
                    }
                }
                return rkt_curl_easy_perform(handle)
            }
            if let error = transfer.error { throw error }
            if code != CURLE_OK {
                let detail = String(decoding: errorBuffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                let reason = String(cString: rkt_curl_easy_strerror(code))
                throw HTTPError(url: request.url, message: detail.isEmpty ? reason : "\(reason): \(detail)")
            }
            var status = 0
            rkt_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
            var effective: UnsafeMutablePointer<CChar>?
            rkt_curl_getinfo_string(handle, CURLINFO_EFFECTIVE_URL, &effective)
            return HTTPResponse(status: status, headers: transfer.headers,
                                url: effective.map { String(cString: $0) } ?? request.url, body: [])
        }
    }

    /// The state of one transfer, reached from libcurl's C callbacks.
    private final class Transfer {
        let start: (Int, [(name: String, value: String)]) throws -> Void
        let sink: (UnsafeRawBufferPointer) throws -> Void
        let progress: ((Int64, Int64?) -> Void)?
        var headers: [(name: String, value: String)] = []
        var status = 0
        var started = false
        var error: Error?

        init(start: @escaping (Int, [(name: String, value: String)]) throws -> Void, sink: @escaping (UnsafeRawBufferPointer) throws -> Void,
             progress: ((Int64, Int64?) -> Void)?) {
            self.start = start
            self.sink = sink
            self.progress = progress
        }

        func receive(_ bytes: UnsafeRawBufferPointer) -> Bool {
            // Bodies of error statuses and redirects are not the caller's data.
            guard (200..<300).contains(status) else { return true }
            do {
                if !started {
                    started = true
                    try start(status, headers)
                }
                try sink(bytes)
                return true
            } catch {
                self.error = error
                return false
            }
        }

        func header(_ bytes: UnsafeRawBufferPointer) {
            // Bytes, not Characters: "\r\n" is a single Character in Swift.
            var end = bytes.count
            while end > 0, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
            if line.hasPrefix("HTTP/") {
                headers = []
                status = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            } else if let colon = line.firstIndex(of: ":") {
                let name = String(line[..<colon])
                let value = line[line.index(after: colon)...].trimmingCharacters(in: [" ", "\t"])
                headers.append((name, value))
            }
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
