import Glibc
import Logging

/// A download in the store's temporary directory: `cas/tmp/<sha256 of the URL>.part`, and the ETag
/// of the response it holds in `.etag` beside it. One process owns it at a time: the exclusive
/// flock on the part is taken before anything is read or written and held until the part is
/// imported, kept to be resumed, or removed; the others wait. A killed owner's lock goes with it, and
/// the part it left is either resumed by the next owner or removed by `rkt image gc`.
final class PartialDownload {
    let path: String
    let etagPath: String
    private let fd: Int32
    /// Another process owned the part when it was claimed (and may have stored the image since).
    let waited: Bool
    private var settled = false

    private init(path: String, fd: Int32, waited: Bool) {
        self.path = path
        etagPath = String(path.dropLast(Self.partSuffix.count)) + Self.etagSuffix
        self.fd = fd
        self.waited = waited
    }

    static let partSuffix = ".part"
    static let etagSuffix = ".etag"

    /// The file name (without suffix) of `url`'s download.
    static func name(of url: String) -> String { ContentHasher.hex(.sha256, of: Array(url.utf8)) }

    /// Claims the download of `url`, waiting while another process owns it (`waiting` is told once).
    static func claim(url: String, in directory: String, waiting: () -> Void) throws -> PartialDownload {
        try open("\(directory)/\(name(of: url))\(partSuffix)", wait: true, waiting: waiting)!
    }

    /// The download named `name` (a part's or an ETag file's name without its suffix) if no
    /// process owns it.
    static func attempt(name: String, in directory: String) throws -> PartialDownload? {
        try open("\(directory)/\(name)\(partSuffix)", wait: false, waiting: {})
    }

    private static func open(_ path: String, wait: Bool, waiting: () -> Void) throws -> PartialDownload? {
        var waited = false
        while true {
            let fd = try FileIO.open(path, O_RDWR | O_CREAT | O_NOFOLLOW, mode: 0o600)
            let ownership: FileLock.Ownership
            do {
                ownership = try FileLock.lockOwned(fd, path: path, wait: wait) {
                    if !waited { waiting() }
                    waited = true
                }
            } catch {
                close(fd)
                throw error
            }
            switch ownership {
            case .owned: return PartialDownload(path: path, fd: fd, waited: waited)
            case .busy:
                close(fd)
                return nil
            case .gone:
                close(fd)
            }
        }
    }

    /// The bytes the part holds.
    var size: Int64 {
        var info = stat()
        return fstat(fd, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// The ETag of the response the part holds, if it can be resumed with it.
    var savedETag: String? {
        guard let bytes = try? FileIO.readFile(etagPath, limit: 4096), !bytes.isEmpty else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the next owner can ask for the rest of it.
    var isResumable: Bool { size > 0 && savedETag != nil }

    /// Empties the part for a new response, remembering that response's ETag if it can be used to
    /// resume it (a weak ETag cannot: If-Range needs a strong one).
    func restart(etag: String?) throws {
        if ftruncate(fd, 0) != 0 { throw SystemCallError("truncate", path: path) }
        lseek(fd, 0, SEEK_SET)
        unlink(etagPath)
        if let etag, !etag.isEmpty, !etag.hasPrefix("W/") {
            try FileIO.writeFile(etagPath, Array(etag.utf8), mode: 0o600)
        }
    }

    /// Continues the part at `offset` (its size): the answer to a Range request.
    func resume(at offset: Int64) throws {
        if ftruncate(fd, off_t(offset)) != 0 { throw SystemCallError("truncate", path: path) }
        lseek(fd, off_t(offset), SEEK_SET)
    }

    /// Where the body goes: appended to the part.
    var sink: ByteSink { FileSink(fileDescriptor: fd, name: path) }

    /// Removes the part and its ETag: imported, refused, or answered otherwise.
    func remove() {
        guard !settled else { return }
        settled = true
        unlink(path)
        unlink(etagPath)
    }

    /// Keeps the part for the next fetch if it can be resumed, else removes it.
    func release(url: String) {
        guard !settled else { return }
        if isResumable {
            settled = true
            Logger(label: "image").info("kept \(ByteSize.description(size)) of \(url) to resume the download with the next fetch")
        } else {
            remove()
        }
    }

    deinit {
        if !settled { remove() }
        close(fd)
    }
}
