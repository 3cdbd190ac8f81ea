import Glibc

/// A private, throwaway GnuPG home (a short path under /tmp, so agent sockets fit): used to look at
/// or verify with exactly the keys imported into it, never the user's own keyring. Removed,
/// with any agent stopped, when released.
public final class TemporaryGnuPGHome {
    public let path: String

    public init() throws {
        var template = Array("/tmp/rktgpg.XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw SystemCallError("create temporary GnuPG home in", path: "/tmp")
        }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // Importing and verifying need no agent; never start one here.
        try FileIO.writeFile("\(path)/gpg.conf", Array("no-autostart\n".utf8), mode: 0o600)
    }

    deinit {
        if GnuPGAgent.isRunning(home: path) { GnuPGAgent.stop(home: path) }
        try? TreeRemover.remove(path)
    }
}
