import Glibc

/// An image layout directory: exactly a `manifest` file and a `rootfs/` directory, checked and
/// with the manifest read and validated.
public struct ImageLayout: Sendable {
    public let directory: String
    /// The manifest exactly as stored in the layout.
    public let manifestBytes: [UInt8]
    public let manifest: ImageManifest
    /// The manifest file's modification time (seconds), the default time of the built entry.
    public let manifestModificationTime: Int64

    public init(directory: String) throws {
        var info = stat()
        if stat(directory, &info) != 0 {
            throw ImageArchiveError.structure("error accessing layout: \(SystemCallError("stat", path: directory))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else {
            throw ImageArchiveError.structure("given path \(quoted(directory)) is not a directory")
        }
        let opened = try FileDescriptor.open(directory, O_RDONLY | O_DIRECTORY)
        let fd = opened.rawValue
        var manifestInfo: stat?
        var hasRootfs = false
        for name in try DirectoryWalker.sortedNames(fd, path: directory) {
            var item = stat()
            if fstatat(fd, name, &item, AT_SYMLINK_NOFOLLOW) != 0 {
                throw SystemCallError("stat", path: "\(directory)/\(name)")
            }
            switch name {
            case "manifest":
                guard item.st_mode & S_IFMT == S_IFREG else { throw ImageArchiveError.structure("manifest is not a regular file") }
                manifestInfo = item
            case "rootfs":
                guard item.st_mode & S_IFMT == S_IFDIR else { throw ImageArchiveError.structure("rootfs is not a directory") }
                hasRootfs = true
            default:
                throw ImageArchiveError.unrecognized(name)
            }
        }
        guard let manifestInfo else { throw ImageArchiveError.structure("no image manifest found in layout") }
        guard hasRootfs else { throw ImageArchiveError.structure("no rootfs found in layout") }
        guard let manifestFile = FileDescriptor(checking: openat(fd, "manifest", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) else {
            throw SystemCallError("open", path: "\(directory)/manifest")
        }
        let manifestFD = manifestFile.rawValue
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAll(manifestFD, path: "\(directory)/manifest", limit: ImageManifest.maximumSize)
        } catch is FileTooLargeError {
            throw ImageArchiveError.structure("manifest is more than the \(ImageManifest.maximumSize / 1024) KiB limit")
        }
        do {
            manifest = try ImageManifest.decode(bytes)
        } catch {
            throw ImageArchiveError.invalidManifest("\(error)")
        }
        self.directory = directory
        manifestBytes = bytes
        manifestModificationTime = Int64(manifestInfo.st_mtim.tv_sec)
    }
}
