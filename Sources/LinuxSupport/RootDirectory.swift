import CLinux
import Glibc

/// An app's rootfs, where paths are resolved without leaving it (openat2 RESOLVE_IN_ROOT): an
/// image's symlinks, `..` and /proc magic links cannot lead out of it. The descriptors it opens
/// are closed with it, so the long-lived stage1 keeps none.
public final class RootDirectory {
    public let path: String
    let fd: Int32
    private var opened: [Int32] = []

    public init(_ path: String) throws {
        self.path = path
        fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { throw SystemCallError("open", path: path) }
    }

    deinit {
        opened.forEach { close($0) }
        close(fd)
    }

    /// A mount target for `inside` (created if missing): an O_PATH descriptor resolved within
    /// the rootfs, open as long as this object.
    public func targetDescriptor(_ inside: String, file: Bool) throws -> Int32 {
        let target = rkt_open_path_in_root(fd, inside, 1, file ? 1 : 0)
        if target < 0 { throw SystemCallError("cannot create", path: "\(inside) in the app's rootfs") }
        opened.append(target)
        return target
    }

    /// `targetDescriptor` as a path (`/proc/self/fd/N`), for mount(2).
    public func target(_ inside: String, file: Bool) throws -> String {
        "/proc/self/fd/\(try targetDescriptor(inside, file: file))"
    }

    /// Like `target`, for a path that must already exist; nil when it does not.
    public func existing(_ inside: String) -> String? {
        existingDescriptor(inside).map { "/proc/self/fd/\($0)" }
    }

    /// Like `targetDescriptor`, for a path that must already exist; nil when it does not.
    public func existingDescriptor(_ inside: String) -> Int32? {
        let target = rkt_openat_in_root(fd, inside, rkt_o_path, 0)
        guard target >= 0 else { return nil }
        opened.append(target)
        return target
    }

    /// Whether `inside` exists in the tree at `root`, resolved as if `root` were `/` (an image's
    /// absolute symlinks stay in the image).
    public static func contains(_ inside: String, in root: String) -> Bool {
        (try? RootDirectory(root))?.existing(inside) != nil
    }

    /// The status of `inside` (symlinks followed within the root); nil when it does not exist.
    public func status(_ inside: String) -> stat? {
        guard let target = FileDescriptor(checking: rkt_openat_in_root(fd, inside, rkt_o_path, 0)) else { return nil }
        var info = stat()
        return fstat(target.rawValue, &info) == 0 ? info : nil
    }

    /// The contents of the regular file `inside`, at most `limit` bytes; nil when there is no
    /// such file. Anything else there (a FIFO, a device, a directory) is refused without being
    /// opened for reading, so an image cannot make stage1 hang or read a device.
    public func readFile(_ inside: String, limit: Int) throws -> [UInt8]? {
        guard let info = status(inside) else { return nil }
        guard info.st_mode & S_IFMT == S_IFREG else { throw LinuxError.notRegularFile(inside) }
        guard let file = FileDescriptor(checking: rkt_openat_in_root(fd, inside, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0)) else {
            throw SystemCallError("open", path: "\(inside) in the image")
        }
        var opened = stat()
        guard fstat(file.rawValue, &opened) == 0, opened.st_mode & S_IFMT == S_IFREG else { throw LinuxError.notRegularFile(inside) }
        return try FileIO.readAll(file.rawValue, path: "\(inside) in the image", limit: limit)
    }

    /// Puts a new regular file holding `content` at `inside`, in place of whatever the image has
    /// there: an image's /etc/hosts may be a device node or FIFO (written through, stage1 would
    /// write to a host device, or hang) or a symlink to a file that is not there.
    public func replaceFile(_ inside: String, with content: [UInt8]) throws {
        let slash = inside.lastIndex(of: "/") ?? inside.startIndex
        let parent = try target(slash == inside.startIndex ? "/" : String(inside[..<slash]), file: false)
        guard let directory = FileDescriptor(checking: open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) else {
            throw SystemCallError("open", path: "\(inside)'s directory in the app's rootfs")
        }
        let name = String(inside[inside.index(after: slash)...])
        if unlinkat(directory.rawValue, name, 0) != 0 && errno != ENOENT {
            throw SystemCallError("cannot replace", path: "\(inside) in the app's rootfs")
        }
        guard let file = FileDescriptor(checking: openat(directory.rawValue, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)) else {
            throw SystemCallError("cannot create", path: "\(inside) in the app's rootfs")
        }
        try FileIO.writeAll(file.rawValue, content, path: "\(inside) in the app's rootfs")
    }
}
