import Glibc

/// An output file that appears only when complete: bytes go to a hidden temporary file in the
/// target's directory, which `commit()` fsyncs and renames over the target. Until then the target
/// is untouched; without a commit the temporary file is removed. `-` writes to standard output.
public final class AtomicOutput {
    /// Where the bytes go now (the temporary file, or standard output).
    public let fileDescriptor: Int32
    /// The path the user named.
    public let path: String
    private let temporaryPath: String?
    private let overwrite: Bool
    private var finished = false

    /// Prepares `path` for writing. Without `overwrite`, an existing target is an error
    /// (`AtomicOutput.ExistsError`), checked now and again at commit time.
    public init(path: String, overwrite: Bool, mode: mode_t = 0o644) throws {
        self.path = path
        self.overwrite = overwrite
        if path == "-" {
            fileDescriptor = STDOUT_FILENO
            temporaryPath = nil
            return
        }
        if !overwrite && access(path, F_OK) == 0 { throw ExistsError(path: path) }
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        let base = path.split(separator: "/").last.map(String.init) ?? path
        var template = Array("\(directory.isEmpty ? "/" : directory)/.\(base).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 { throw SystemCallError("create temporary file in", path: directory) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        fchmod(fd, mode & ~Self.umask)
        fileDescriptor = fd
        temporaryPath = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Makes the file visible under its name. Calling it twice is an error.
    public func commit() throws {
        precondition(!finished, "AtomicOutput committed twice")
        finished = true
        guard let temporaryPath else { return }
        defer { close(fileDescriptor) }
        if fsync(fileDescriptor) != 0 { throw SystemCallError("fsync", path: temporaryPath) }
        if overwrite {
            if rename(temporaryPath, path) != 0 {
                let error = SystemCallError("rename to", path: path)
                unlink(temporaryPath)
                throw error
            }
        } else {
            // link(2) fails if the target appeared meanwhile, so nothing is ever replaced.
            if link(temporaryPath, path) != 0 {
                let error = errno == EEXIST ? ExistsError(path: path) as Error : SystemCallError("create", path: path)
                unlink(temporaryPath)
                throw error
            }
            unlink(temporaryPath)
        }
    }

    /// Drops the temporary file (also done automatically when the output is released uncommitted).
    public func discard() {
        guard !finished else { return }
        finished = true
        if let temporaryPath {
            close(fileDescriptor)
            unlink(temporaryPath)
        }
    }

    deinit { discard() }

    /// The target exists and overwriting was not asked for.
    public enum ExistsError: Error, Sendable, Equatable, CustomStringConvertible {
        case exists(path: String)

        public init(path: String) { self = .exists(path: path) }

        public var description: String {
            switch self {
            case .exists(let path): "\(path) exists (try --overwrite)"
            }
        }
    }

    private static let umask: mode_t = {
        let current = Glibc.umask(0)
        Glibc.umask(current)
        return current
    }()
}
