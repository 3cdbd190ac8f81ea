import Glibc

/// Downloads for the fetchers: resumable image downloads into the store's temporary directory
/// (`Range` with `If-Range` on the ETag of the partial file), small documents into memory, the
/// site's credentials from `auth.d` attached, TLS and plain http as the insecure options allow.
struct Downloader {
    let temporaryDirectory: String
    let config: RktConfig
    let insecure: InsecureOptions
    let showProgress: Bool

    /// The outcome of a download request.
    struct Result {
        var status: Int
        var path: String
        var etag: String?
        var maxAge: Int64
    }

    private func request(_ url: String, headers extra: [(name: String, value: String)] = [], resumeFrom: Int64? = nil,
                         maximumBodySize: Int = 1 << 20) -> HTTPRequest {
        HTTPRequest(url: url, headers: config.header(for: Self.host(url)) + extra, insecureTLS: insecure.contains(.tls),
                    allowHTTPDowngrade: insecure.contains(.http), maximumBodySize: maximumBodySize, resumeFrom: resumeFrom)
    }

    /// A small document (signature, key, page).
    func get(_ url: String) throws -> HTTPResponse {
        try HTTPClient.get(request(url))
    }

    /// Downloads `url` to a file named after it in the temporary directory, resuming a partial
    /// download of the same ETag. With `etag`, a 304 answer means the stored copy is current.
    func download(_ url: String, ifNoneMatch etag: String?) throws -> Result {
        let name = ContentHasher.hex(.sha256, of: Array(url.utf8))
        let partial = "\(temporaryDirectory)/\(name).part"
        let etagFile = "\(temporaryDirectory)/\(name).etag"
        var headers: [(name: String, value: String)] = []
        var resumeFrom: Int64?
        var info = stat()
        if stat(partial, &info) == 0, info.st_size > 0,
           let savedETag = try? String(decoding: FileIO.readFile(etagFile, limit: 4096), as: UTF8.self), !savedETag.isEmpty {
            resumeFrom = Int64(info.st_size)
            headers.append(("If-Range", savedETag))
        }
        if let etag { headers.append(("If-None-Match", etag)) }
        let fd = try FileIO.open(partial, O_WRONLY | O_CREAT | (resumeFrom == nil ? O_TRUNC : 0), mode: 0o600)
        defer { close(fd) }
        let progress = showProgress ? ProgressBar(label: url.split(separator: "/").last.map(String.init) ?? url) : nil
        let offset = resumeFrom ?? 0
        let response = try HTTPClient.download(request(url, headers: headers, resumeFrom: resumeFrom), start: { status, headers in
            // A 206 continues the partial file; a 200 starts it over, remembering its ETag at once
            // so that a cut-off transfer can be resumed by the next fetch.
            let keep = status == 206 ? offset : 0
            if ftruncate(fd, off_t(keep)) != 0 { throw SystemCallError("truncate", path: partial) }
            lseek(fd, off_t(keep), SEEK_SET)
            if status != 206 {
                unlink(etagFile)
                if let etag = headers.first(where: { $0.name.lowercased() == "etag" })?.value {
                    try? FileIO.writeFile(etagFile, Array(etag.utf8), mode: 0o600)
                }
            }
        }, to: { bytes in
            try FileIO.writeAll(fd, bytes, path: partial)
        }, progress: progress.map { bar in { done, total in bar.update(offset + done, of: total.map { $0 + offset }) } })
        progress?.finish()
        if response.status == 416 && resumeFrom != nil {
            // The partial file is not a prefix of what the server has now: start over.
            discard(url)
            return try download(url, ifNoneMatch: etag)
        }
        let newETag = response.header("ETag")
        return Result(status: response.status, path: partial, etag: newETag, maxAge: Self.maxAge(response.header("Cache-Control")))
    }

    /// Removes a finished download's files.
    func discard(_ url: String) {
        let name = ContentHasher.hex(.sha256, of: Array(url.utf8))
        unlink("\(temporaryDirectory)/\(name).part")
        unlink("\(temporaryDirectory)/\(name).etag")
    }

    static func host(_ url: String) -> String {
        let rest = url.drop { $0 != "/" }.drop { $0 == "/" }
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.split(separator: "@").last.map(String.init) ?? String(authority)
        return String(host.prefix { $0 != ":" })
    }

    /// `max-age=N` of a Cache-Control header, 0 when absent.
    static func maxAge(_ header: String?) -> Int64 {
        guard let header else { return 0 }
        for part in header.split(separator: ",") {
            let item = part.trimmingCharacters()
            if item.hasPrefix("max-age="), let seconds = Int64(item.dropFirst("max-age=".count)) { return seconds }
        }
        return 0
    }
}
