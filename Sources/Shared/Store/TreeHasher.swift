import Glibc

/// A digest of a directory tree's content and metadata (names, types, modes, owners, sizes,
/// file contents, link targets), for checking that a rendered image was not changed.
enum TreeHasher {
    static func hash(_ root: String) throws -> String {
        let hasher = ContentHasher(.sha512)
        try DirectoryWalker.walk(root) { file in
            let info = file.info
            var record = "\(file.relativePath)\u{0}\(info.st_mode)\u{0}\(info.st_uid)\u{0}\(info.st_gid)\u{0}"
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                record += "\(info.st_size)\u{0}" + (try ContentHasher.hex(.sha256, ofFile: "\(root)/\(file.relativePath)"))
            case S_IFLNK:
                var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let count = readlinkat(file.directoryDescriptor, file.name, &target, target.count - 1)
                record += String(decoding: target[..<max(count, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            default:
                break
            }
            hasher.update(Array((record + "\n").utf8))
        }
        return hasher.finalizeHex()
    }

    /// The bytes the tree's regular files hold.
    static func size(_ root: String) throws -> Int64 {
        var total: Int64 = 0
        try DirectoryWalker.walk(root) { file in
            if file.info.st_mode & S_IFMT == S_IFREG { total += Int64(file.info.st_size) }
        }
        return total
    }
}
