import CLinux
import Glibc

/// Applies OCI layer changesets to a root directory, in order, the way the image-spec says:
/// whiteouts (`.wh.NAME`) and opaque markers (`.wh..wh..opq`, wherever they appear) hide lower
/// layers only (never what the layer itself put there, its implied parent directories included),
/// an entry replaces what was there unless both are directories, missing parents are
/// created, hard links point inside the root, modes, owners (when run as root), times and extended
/// attributes are kept. No `.wh.` name ever reaches the root.
///
/// Nothing is ever written outside the root: every parent path is resolved with
/// `openat2(RESOLVE_IN_ROOT)`, so `..`, absolute names and symlinks — absolute or relative —
/// stay inside it; missing parents are created where a symlink points inside the root (as
/// umoci does), and the final component is created without following links. Names that try
/// to climb out (`../x`), hard links to outside, device nodes (unless allowed) and decompression
/// bombs are refused with an error.
public final class LayerApplier {
    /// A layer may expand to at most this many times its compressed size once past `bombThreshold`.
    public static let maximumExpansion: Int64 = 200
    public static let bombThreshold: Int64 = 256 << 20

    public let rootPath: String
    private let root: FileDescriptor
    private var rootFD: Int32 { root.rawValue }
    private let privileged = geteuid() == 0
    /// Create character and block devices (off: they are refused).
    public var allowDevices = false
    /// Treat `.wh.` names as whiteouts (OCI layers); off for ACI rootfs trees, where they are files.
    public var interpretWhiteouts = true
    /// Only entries below this directory are applied, relative to it (`rootfs` for an ACI).
    public var pathPrefix: String?
    /// Decides which paths (relative to the root) are written; all when nil.
    public var include: ((String) -> Bool)?

    /// Opens an existing directory as the root.
    public init(root: String) throws {
        rootPath = root
        self.root = try FileDescriptor.open(root, O_RDONLY | O_DIRECTORY)
    }

    /// Applies one layer; `name` identifies it in errors. The reader is finished (and so verified).
    public func apply(_ reader: ArchiveReader, name: String) throws {
        do {
            try applyEntries(reader, name: name)
        } catch {
            throw LayerError.inLayer(name: name, error: error)
        }
    }

    private func applyEntries(_ reader: ArchiveReader, name: String) throws {
        // The layer's own entries, and those with their ancestors: what whiteouts must not hide.
        var layer = Set<String>()
        var touched = Set<String>()
        var directories: [(path: String, time: Int64)] = []
        while let entry = try reader.next() {
            let failure = { (why: String) in LayerError.entry(layer: name, path: entry.path, reason: why) }
            guard let full = try Self.relativePath(entry.path, failure), let path = strippingPrefix(full) else {
                if entry.type == .directory && (pathPrefix == nil || ArchivePath.clean(entry.path) == pathPrefix) {
                    try setRootAttributes(entry)
                }
                continue
            }
            if let include, !include(path) { continue }
            let (parent, base) = Self.split(path)
            if interpretWhiteouts && base == ".wh..wh..opq" {
                try hideLowerContents(of: parent, keeping: touched)
                continue
            }
            if interpretWhiteouts && base.hasPrefix(".wh.") {
                let hidden = String(base.dropFirst(4))
                if hidden.isEmpty { throw failure("a whiteout without a name") }
                let target = parent.isEmpty ? hidden : "\(parent)/\(hidden)"
                if layer.contains(target) { continue }
                // A directory this layer wrote into: hide only what lower layers left in it.
                if touched.contains(target) {
                    try hideLowerContents(of: target, keeping: touched)
                } else {
                    try remove(target)
                }
                continue
            }
            try create(entry, path: path, parent: parent, base: base, reader: reader, failure: failure)
            layer.insert(path)
            touched.insert(path)
            for ancestor in ArchivePath.ancestors(of: path).reversed() where !touched.insert(ancestor).inserted { break }
            if entry.type == .directory { directories.append((path, entry.modificationTime)) }
        }
        try reader.finish()
        for directory in directories.reversed() { setTime(directory.path, directory.time) }
    }

    /// The entry's path relative to the root, nil for the root itself; names climbing out are refused.
    static func relativePath(_ raw: String, _ failure: (String) -> LayerError) throws -> String? {
        var path = ArchivePath.clean(raw)
        if path.hasPrefix("/") { path = String(path.drop { $0 == "/" }) }
        if path.isEmpty || path == "." { return nil }
        if path == ".." || path.hasPrefix("../") { throw failure("path climbs out of the image (\"..\")") }
        return path
    }

    /// The path below `pathPrefix`, or nil for the prefix itself and entries outside it.
    private func strippingPrefix(_ path: String) -> String? {
        guard let pathPrefix else { return path }
        guard path.hasPrefix(pathPrefix + "/") else { return nil }
        return String(path.dropFirst(pathPrefix.count + 1))
    }

    /// The path a hard link entry points to, relative to the root; targets outside are refused.
    static func hardLinkTarget(_ entry: ArchiveEntry, _ failure: (String) -> LayerError) throws -> String {
        let raw = entry.linkTarget ?? ""
        guard let target = try relativePath(raw, { _ in failure("hard link to \(quoted(raw)) outside the image") }) else {
            throw failure("hard link to \(quoted(raw)) outside the image's files")
        }
        return target
    }

    static func split(_ path: String) -> (parent: String, base: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    private func create(_ entry: ArchiveEntry, path: String, parent: String, base: String, reader: ArchiveReader,
                        failure: (String) -> LayerError) throws {
        let opened = try openDirectory(parent, creating: true, failure: failure)
        let directory = opened.rawValue
        var existing = stat()
        let exists = fstatat(directory, base, &existing, AT_SYMLINK_NOFOLLOW) == 0
        if exists {
            if entry.type == .directory && existing.st_mode & S_IFMT == S_IFDIR {
                guard let existing = FileDescriptor(checking: openat(directory, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) else {
                    throw failure("\(SystemCallError("open", path: path))")
                }
                try setAttributes(existing.rawValue, entry, path: path)
                return
            }
            try removeEntry(base, in: directory, path: path)
        }
        let mode = mode_t(entry.permissions & 0o7777)
        switch entry.type {
        case .regular:
            guard let file = FileDescriptor(checking: openat(directory, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)) else {
                throw failure("\(SystemCallError("create", path: path))")
            }
            let fd = file.rawValue
            try copyData(from: reader, to: fd, path: path, layer: failure)
            try setAttributes(fd, entry, path: path)
            var times = [timespec(tv_sec: Int(entry.modificationTime), tv_nsec: 0), timespec(tv_sec: Int(entry.modificationTime), tv_nsec: 0)]
            futimens(fd, &times)
        case .directory:
            if mkdirat(directory, base, 0o700) != 0 { throw failure("\(SystemCallError("mkdir", path: path))") }
            guard let made = FileDescriptor(checking: openat(directory, base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) else {
                throw failure("\(SystemCallError("open", path: path))")
            }
            try setAttributes(made.rawValue, entry, path: path)
        case .symlink:
            if symlinkat(entry.linkTarget ?? "", directory, base) != 0 { throw failure("\(SystemCallError("symlink", path: path))") }
            if privileged { fchownat(directory, base, uid_t(entry.uid), gid_t(entry.gid), AT_SYMLINK_NOFOLLOW) }
            setTime(directory, base, entry.modificationTime, flags: AT_SYMLINK_NOFOLLOW)
        case .hardlink:
            let raw = entry.linkTarget ?? ""
            guard let target = strippingPrefix(try Self.hardLinkTarget(entry, failure)) else {
                throw failure("hard link to \(quoted(raw)) outside the image's files")
            }
            let (targetParent, targetBase) = Self.split(target)
            let targetOpened = try openDirectory(targetParent, creating: false) { _ in
                failure("hard link to \(quoted(raw)), which is not in the image")
            }
            let targetDirectory = targetOpened.rawValue
            var info = stat()
            guard fstatat(targetDirectory, targetBase, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT != S_IFDIR else {
                throw failure("hard link to \(quoted(raw)), which is not a file in the image")
            }
            if linkat(targetDirectory, targetBase, directory, base, 0) != 0 { throw failure("\(SystemCallError("link", path: path))") }
        case .fifo:
            if mkfifoat(directory, base, 0o600) != 0 { throw failure("\(SystemCallError("mkfifo", path: path))") }
            if privileged { fchownat(directory, base, uid_t(entry.uid), gid_t(entry.gid), AT_SYMLINK_NOFOLLOW) }
            fchmodat(directory, base, mode, 0)
            setTime(directory, base, entry.modificationTime, flags: AT_SYMLINK_NOFOLLOW)
        case .characterDevice, .blockDevice:
            guard allowDevices else { throw failure("device nodes are not allowed in images") }
            let (major, minor) = (UInt64(entry.deviceMajor), UInt64(entry.deviceMinor))
            let device = dev_t((minor & 0xFF) | ((major & 0xFFF) << 8) | ((minor & ~0xFF) << 12) | ((major & ~0xFFF) << 32))
            let kind: mode_t = entry.type == .characterDevice ? S_IFCHR : S_IFBLK
            if mknodat(directory, base, kind | mode, device) != 0 { throw failure("\(SystemCallError("mknod", path: path))") }
            if privileged { fchownat(directory, base, uid_t(entry.uid), gid_t(entry.gid), AT_SYMLINK_NOFOLLOW) }
            setTime(directory, base, entry.modificationTime, flags: AT_SYMLINK_NOFOLLOW)
        case .socket:
            break
        }
    }

    /// Opens a directory of the root, resolving every component inside it; missing ones are created (0755).
    private func openDirectory(_ path: String, creating: Bool, failure: (String) -> LayerError) throws -> FileDescriptor {
        if let opened = FileDescriptor(checking: rkt_openat_in_root(rootFD, path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY, 0)) {
            return opened
        }
        if errno == ENOSYS { throw LayerError.noRootedResolution }
        guard errno == ENOENT, creating, !path.isEmpty else {
            throw failure("\(SystemCallError("open directory", path: path))")
        }
        // Create the missing directories where the path leads once its symlinks are resolved in the
        // root: `x -> /etc` then `x/passwd` makes the root's etc/, not a host directory.
        let components = try resolvedInRoot(path, failure: failure)
        var directory = FileDescriptor(dup(rootFD))
        var reached: [String] = []
        for component in components {
            reached.append(component)
            let made = mkdirat(directory.rawValue, component, 0o755) == 0 || errno == EEXIST
            let code = errno
            if !made { throw failure("\(SystemCallError("mkdir", path: reached.joined(separator: "/"), code: code))") }
            guard let next = FileDescriptor(checking: openat(directory.rawValue, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) else {
                throw failure("\(SystemCallError("open directory", path: reached.joined(separator: "/")))")
            }
            directory = next
        }
        return directory
    }

    /// The components of `path` inside the root once every symlink among them is replaced by its
    /// target, the way `openat2(RESOLVE_IN_ROOT)` resolves (absolute targets start at the root, `..`
    /// stops there). Components that do not exist are kept as named.
    private func resolvedInRoot(_ path: String, failure: (String) -> LayerError) throws -> [String] {
        var resolved: [String] = []
        var pending = Array(path.split(separator: "/").map(String.init).reversed())
        var links = 0
        while let component = pending.popLast() {
            if component == "." { continue }
            if component == ".." {
                _ = resolved.popLast()
                continue
            }
            guard let target = symlinkTarget(component, in: resolved) else {
                resolved.append(component)
                continue
            }
            links += 1
            if links > 40 { throw failure("more than 40 symbolic links to follow in \(quoted(path))") }
            if target.hasPrefix("/") { resolved = [] }
            pending.append(contentsOf: target.split(separator: "/").map(String.init).reversed())
        }
        return resolved
    }

    /// The target of `name` in the directory `parent` of the root (already free of symlinks), if it is a symlink.
    private func symlinkTarget(_ name: String, in parent: [String]) -> String? {
        guard let directory = FileDescriptor(checking: rkt_openat_in_root(rootFD, parent.isEmpty ? "." : parent.joined(separator: "/"), O_RDONLY | O_DIRECTORY, 0)) else {
            return nil
        }
        var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlinkat(directory.rawValue, name, &target, target.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: target[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Removes a path of a lower layer (file, link or whole tree); nothing if it does not exist.
    private func remove(_ path: String) throws {
        let (parent, base) = Self.split(path)
        guard let directory = FileDescriptor(checking: rkt_openat_in_root(rootFD, parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY, 0)) else { return }
        var info = stat()
        if fstatat(directory.rawValue, base, &info, AT_SYMLINK_NOFOLLOW) == 0 { try removeEntry(base, in: directory.rawValue, path: path) }
    }

    /// An opaque directory: removes every child that this layer did not create, recursively.
    private func hideLowerContents(of path: String, keeping layer: Set<String>) throws {
        guard let opened = FileDescriptor(checking: rkt_openat_in_root(rootFD, path.isEmpty ? "." : path, O_RDONLY | O_DIRECTORY, 0)) else { return }
        let fd = opened.rawValue
        for name in try DirectoryWalker.sortedNames(fd, path: path) {
            let child = path.isEmpty ? name : "\(path)/\(name)"
            if layer.contains(child) {
                var info = stat()
                if fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0, info.st_mode & S_IFMT == S_IFDIR {
                    try hideLowerContents(of: child, keeping: layer)
                }
            } else {
                try removeEntry(name, in: fd, path: child)
            }
        }
    }

    private func removeEntry(_ name: String, in directory: Int32, path: String) throws {
        do {
            try TreeRemover.remove(name, in: directory, path: path)
        } catch {
            throw LayerError.cannotReplace(path: path, error: error)
        }
    }

    private func copyData(from reader: ArchiveReader, to fd: Int32, path: String, layer failure: (String) -> LayerError) throws {
        try reader.copyData(to: FileSink(fileDescriptor: fd, name: "\(rootPath)/\(path)")) {
            do {
                try Self.checkExpansion(reader)
            } catch {
                throw failure("\(error)")
            }
        }
    }

    /// Owner (as root), mode and extended attributes of an open file or directory.
    private func setAttributes(_ fd: Int32, _ entry: ArchiveEntry, path: String) throws {
        if privileged && fchown(fd, uid_t(entry.uid), gid_t(entry.gid)) != 0 {
            throw LayerError.system(SystemCallError("chown", path: path))
        }
        if fchmod(fd, mode_t(entry.permissions & 0o7777)) != 0 { throw LayerError.system(SystemCallError("chmod", path: path)) }
        for attribute in entry.extendedAttributes {
            do {
                try ExtendedAttributes.set(attribute, on: fd, path: path)
            } catch {
                if privileged && error.code != ENOTSUP { throw LayerError.system(error) }
            }
        }
    }

    private func setRootAttributes(_ entry: ArchiveEntry) throws {
        try setAttributes(rootFD, entry, path: ".")
    }

    private func setTime(_ path: String, _ time: Int64) {
        guard let directory = FileDescriptor(checking: rkt_openat_in_root(rootFD, path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0)) else { return }
        var times = [timespec(tv_sec: Int(time), tv_nsec: 0), timespec(tv_sec: Int(time), tv_nsec: 0)]
        futimens(directory.rawValue, &times)
    }

    private func setTime(_ directory: Int32, _ name: String, _ time: Int64, flags: Int32) {
        var times = [timespec(tv_sec: Int(time), tv_nsec: 0), timespec(tv_sec: Int(time), tv_nsec: 0)]
        utimensat(directory, name, &times, flags)
    }

    /// Refuses a layer that has expanded more than `maximumExpansion` times past `bombThreshold`.
    static func checkExpansion(_ reader: ArchiveReader) throws(LayerError) {
        let (raw, uncompressed) = reader.bytesRead
        if uncompressed > Self.bombThreshold && uncompressed > Self.maximumExpansion * max(raw, 1) {
            throw LayerError.decompressionBomb(uncompressed: uncompressed, raw: raw)
        }
    }
}
