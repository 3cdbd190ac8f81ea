import Glibc

/// A directory in the tree store where a container image is assembled before `importTree` moves
/// it into place (`cas/tree/.import.XXXXXX`): its creator holds an exclusive flock on it until it
/// is removed, so `rkt image gc` can tell one a killed fetch left (lock free) from one in use.
public final class StagingDirectory {
    public let path: String
    private let fd: Int32

    static let prefix = ".import"

    /// Creates and locks a new staging directory in `parent`.
    init(parent: String) throws {
        while true {
            let directory = try TemporaryDirectory.make(prefix: Self.prefix, parent: parent)
            let fd = try FileIO.open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW)
            // image gc may take an unlocked directory between its creation and this lock: then make another.
            let ownership: FileLock.Ownership
            do {
                ownership = try FileLock.lockOwned(fd, path: directory, wait: true)
            } catch {
                close(fd)
                try? TreeRemover.remove(directory)
                throw error
            }
            if ownership == .owned {
                path = directory
                self.fd = fd
                return
            }
            close(fd)
        }
    }

    /// Removes the staging directory `name` of `parent` if no process holds it; whether it did.
    static func removeIfAbandoned(_ name: String, in parent: String) throws -> Bool {
        let directory = "\(parent)/\(name)"
        guard let held = FileDescriptor(checking: open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) else { return false }
        guard try FileLock.lockOwned(held.rawValue, path: directory, wait: false) == .owned else { return false }
        try TreeRemover.remove(directory)
        return true
    }

    deinit {
        try? TreeRemover.remove(path)
        close(fd)
    }
}
