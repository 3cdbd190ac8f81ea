import Glibc
import Logging

/// Downloads for the fetchers: resumable image downloads into the store's temporary directory
/// (`Range` with `If-Range` on the ETag of the partial file, used only when the answer continues
/// that file), small documents into memory, the site's credentials from `auth.d` attached, TLS and
/// plain http as the insecure options allow, within the transfer limits.
struct Downloader {
    let temporaryDirectory: String
    let config: RktConfig
    let insecure: InsecureOptions
    let limits: TransferLimits
    let showProgress: Bool

    /// The outcome of a download request.
    struct Result {
        var status: Int
        var path: String
        var etag: String?
        var maxAge: Int64
    }

    /// A 206 that does not continue the partial file: it is thrown away, never spliced in.
    enum ResumeRefusal: Error, CustomStringConvertible {
        /// The answer's ETag is not the one the part was downloaded with.
        case otherETag(url: String, saved: String, answered: String?)
        /// The answer's Content-Range does not start where the part ends, or does not run to the end.
        case otherRange(url: String, asked: Int64, answered: String?)
        /// A part of the file came back to a request for all of it.
        case unasked(url: String)

        var description: String {
            switch self {
            case .otherETag(let url, let saved, let answered):
                "\(url): the server resumed the download with ETag \(answered ?? "(none)"), not \(saved) as the part began"
            case .otherRange(let url, let asked, let answered):
                "\(url): the server resumed the download with Content-Range \(answered ?? "(none)"), not from byte \(asked) to the end"
            case .unasked(let url):
                "\(url): the server answered a request for the whole file with a part of it (206)"
            }
        }
    }

    private let log = Logger(label: "image")

    private func request(_ url: String, headers extra: [(name: String, value: String)] = [], rangeStart: Int64? = nil,
                         bodyLimit: HTTPRequest.BodyLimit = .document(1 << 20), deadline: Deadline?) -> HTTPRequest {
        HTTPRequest(url: url, headers: config.header(for: Self.host(url)) + extra, insecureTLS: insecure.contains(.tls),
                    allowHTTPDowngrade: insecure.contains(.http), bodyLimit: bodyLimit, rangeStart: rangeStart, limits: limits,
                    deadline: deadline)
    }

    /// A small document (signature, key, page), complete by the deadline.
    func get(_ url: String, deadline: Deadline? = nil) throws -> HTTPResponse {
        try HTTPClient.get(request(url, deadline: deadline))
    }

    /// Takes the download of `url` for this process, waiting (and saying so) while another one has it.
    func claim(_ url: String) throws -> PartialDownload {
        try PartialDownload.claim(url: url, in: temporaryDirectory) {
            log.info("another rkt is downloading \(url); waiting for it")
        }
    }

    /// Downloads `url` into `part`, resuming what it holds when the server continues that same
    /// file; any other answer starts it over. With `etag`, a 304 answer means the stored copy is current.
    func download(_ url: String, into part: PartialDownload, ifNoneMatch etag: String?, deadline: Deadline?) throws -> Result {
        do {
            return try attempt(url, into: part, ifNoneMatch: etag, deadline: deadline, resume: part.isResumable)
        } catch let refusal as ResumeRefusal {
            guard case .unasked = refusal else {
                log.info("\(refusal); downloading it again from the start")
                try part.restart(etag: nil)
                return try attempt(url, into: part, ifNoneMatch: etag, deadline: deadline, resume: false)
            }
            throw refusal
        }
    }

    private func attempt(_ url: String, into part: PartialDownload, ifNoneMatch etag: String?, deadline: Deadline?,
                         resume: Bool) throws -> Result {
        var headers: [(name: String, value: String)] = []
        let savedETag = resume ? part.savedETag : nil
        let offset = savedETag == nil ? nil : Optional(part.size)
        if let savedETag { headers.append(("If-Range", savedETag)) }
        if let etag { headers.append(("If-None-Match", etag)) }
        let progress = showProgress ? ProgressBar(label: url.split(separator: "/").last.map(String.init) ?? url) : nil
        let request = request(url, headers: headers, rangeStart: offset, bodyLimit: .image(limits.maximumImageSize), deadline: deadline)
        let response = try HTTPClient.download(request, start: { status, headers in
            let answeredETag = headers.first { $0.name.lowercased() == "etag" }?.value
            guard status == 206 else {
                // The whole file: start over, remembering its ETag at once so that a cut-off
                // transfer can be resumed by the next fetch.
                return try part.restart(etag: answeredETag)
            }
            guard let offset, let savedETag else { throw ResumeRefusal.unasked(url: url) }
            guard answeredETag == savedETag else { throw ResumeRefusal.otherETag(url: url, saved: savedETag, answered: answeredETag) }
            let contentRange = headers.first { $0.name.lowercased() == "content-range" }?.value
            guard Self.continues(contentRange, from: offset) else { throw ResumeRefusal.otherRange(url: url, asked: offset, answered: contentRange) }
            try part.resume(at: offset)
        }, to: part.sink, progress: progress.map { bar in { done, total in bar.update((offset ?? 0) + done, of: total.map { $0 + (offset ?? 0) }) } })
        progress?.finish()
        if response.status == 416, offset != nil {
            // The partial file is not a prefix of what the server has now: start over.
            try part.restart(etag: nil)
            return try attempt(url, into: part, ifNoneMatch: etag, deadline: deadline, resume: false)
        }
        return Result(status: response.status, path: part.path, etag: response.header("ETag"), maxAge: Self.maxAge(response.header("Cache-Control")))
    }

    /// Whether `Content-Range: bytes FIRST-LAST/TOTAL` is the rest of the file from `offset` on.
    static func continues(_ contentRange: String?, from offset: Int64) -> Bool {
        guard let contentRange, contentRange.hasPrefix("bytes ") else { return false }
        let parts = contentRange.dropFirst("bytes ".count).split(separator: "/", maxSplits: 1)
        let bounds = parts.first?.split(separator: "-", maxSplits: 1).map { Int64($0.trimmingCharacters()) } ?? []
        guard bounds.count == 2, let first = bounds[0], let last = bounds[1], first == offset, last >= first else { return false }
        guard parts.count == 2, let total = Int64(parts[1].trimmingCharacters()) else { return parts.count == 2 && parts[1] == "*" }
        return last == total - 1
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
