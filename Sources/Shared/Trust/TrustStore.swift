import Glibc

/// rkt's trust store: armored public keys named by their fingerprint, in
/// `<config>/trustedkeys/root.d/<fpr>` (trusted for every image) and
/// `<config>/trustedkeys/prefix.d/<prefix>/<fpr>` (for names under the prefix), in a system layer
/// (`/usr/lib/rkt`) and a local one (`/etc/rkt`) where an empty file masks a system key.
public struct TrustStore: Sendable {
    public var localDirectory: String
    public var systemDirectory: String

    public init(localDirectory: String = "/etc/rkt", systemDirectory: String = "/usr/lib/rkt") {
        self.localDirectory = localDirectory
        self.systemDirectory = systemDirectory
    }

    /// Stores a key (armored, or binary which is stored armored) for `scope` in the local layer.
    /// Returns the file written and the key. A file must hold exactly one key.
    @discardableResult
    public func add(_ keyBytes: [UInt8], scope: TrustScope) throws -> (path: String, key: PublicKey) {
        let (key, armored) = try Self.inspect(keyBytes)
        let directory = "\(localDirectory)/trustedkeys/\(scope.directory)"
        try FileIO.makeDirectories(directory)
        let path = "\(directory)/\(key.fingerprint)"
        let output = try AtomicOutput(path: path, overwrite: true, mode: 0o644)
        try FileIO.writeAll(output.fileDescriptor, armored, path: path)
        try output.commit()
        return (path, key)
    }

    /// What `remove` did.
    public enum Removal: Sendable, Equatable {
        /// The local key file was deleted.
        case deleted(String)
        /// The key lives in the system layer: an empty file now masks it.
        case masked(String)
    }

    /// Stops trusting the key `fingerprint` for `scope`.
    public func remove(fingerprint: String, scope: TrustScope) throws -> [Removal] {
        let fingerprint = fingerprint.lowercased().replacingAll(" ", with: "")
        guard fingerprint.utf8.count == 40, fingerprint.utf8.allSatisfy(\.isHexDigit) else {
            throw TrustError.notAFingerprint(fingerprint)
        }
        var removals: [Removal] = []
        let local = "\(localDirectory)/trustedkeys/\(scope.directory)/\(fingerprint)"
        var info = stat()
        let localExists = stat(local, &info) == 0
        let alreadyMasked = localExists && info.st_size == 0
        if localExists && !alreadyMasked {
            if unlink(local) != 0 { throw SystemCallError("remove", path: local) }
            removals.append(.deleted(local))
        }
        let system = "\(systemDirectory)/trustedkeys/\(scope.directory)/\(fingerprint)"
        if !alreadyMasked, stat(system, &info) == 0, info.st_size > 0 {
            try FileIO.makeDirectories("\(localDirectory)/trustedkeys/\(scope.directory)")
            try FileIO.writeFile(local, [], mode: 0o644)
            removals.append(.masked(local))
        }
        if removals.isEmpty {
            throw TrustError.notTrusted(fingerprint: fingerprint, scope: scope, maskedBy: alreadyMasked ? local : nil)
        }
        return removals
    }

    /// Every trusted key (masks applied), optionally only those of one scope.
    public func list(scope: TrustScope? = nil) throws -> [TrustedKeyFile] {
        var scopes: [TrustScope] = [.root]
        for layer in [systemDirectory, localDirectory] {
            try Self.prefixes(in: "\(layer)/trustedkeys/prefix.d", relative: "").forEach { prefix in
                if !scopes.contains(prefix) { scopes.append(prefix) }
            }
        }
        return try scopes.filter { scope == nil || $0 == scope }.flatMap { try keys(in: $0) }
    }

    /// The keys trusted for an image name: root keys and those of every prefix of the name
    /// (`a`, `a/b`, `a/b/c` for `a/b/c`; whole path components only), both layers, masks applied.
    public func keys(for name: ACIdentifier) throws -> [TrustedKeyFile] {
        let parts = name.value.split(separator: "/")
        var scopes: [TrustScope] = [.root]
        for end in 1...parts.count {
            scopes.append(.prefix(try ACIdentifier(parts[..<end].joined(separator: "/"))))
        }
        return try scopes.flatMap { try keys(in: $0) }
    }

    /// Whether any key is trusted for the name through a prefix (root keys not counted).
    public func hasPrefixKeys(for name: ACIdentifier) throws -> Bool {
        try keys(for: name).contains { $0.scope != .root }
    }

    /// The keys of one scope: system files, then local files overriding or masking them.
    private func keys(in scope: TrustScope) throws -> [TrustedKeyFile] {
        var found: [String: TrustedKeyFile] = [:]
        var order: [String] = []
        for (layer, base) in [(TrustedKeyFile.Layer.system, systemDirectory), (.local, localDirectory)] {
            let directory = "\(base)/trustedkeys/\(scope.directory)"
            for name in try Self.files(in: directory) {
                let path = "\(directory)/\(name)"
                let contents = try FileIO.readFile(path, limit: 1 << 20)
                if contents.isEmpty {
                    if layer == .local { found[name] = nil }
                    continue
                }
                if found[name] == nil { order.append(name) }
                found[name] = TrustedKeyFile(scope: scope, fingerprint: name, path: path, layer: layer, contents: contents)
            }
        }
        return order.compactMap { found[$0] }
    }

    /// Regular files directly inside a directory (none if it does not exist).
    private static func files(in directory: String) throws -> [String] {
        guard let opened = FileDescriptor(checking: open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) else { return [] }
        let fd = opened.rawValue
        return try DirectoryWalker.sortedNames(fd, path: directory).filter { name in
            var info = stat()
            return fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 && info.st_mode & S_IFMT == S_IFREG
        }
    }

    /// Every prefix directory below `prefix.d` that holds key files.
    private static func prefixes(in directory: String, relative: String) throws -> [TrustScope] {
        guard let opened = FileDescriptor(checking: open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) else { return [] }
        let fd = opened.rawValue
        var result: [TrustScope] = []
        var hasFiles = false
        for name in try DirectoryWalker.sortedNames(fd, path: directory) {
            var info = stat()
            guard fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            if info.st_mode & S_IFMT == S_IFDIR {
                result += try prefixes(in: "\(directory)/\(name)", relative: relative.isEmpty ? name : "\(relative)/\(name)")
            } else if info.st_mode & S_IFMT == S_IFREG {
                hasFiles = true
            }
        }
        if hasFiles, !relative.isEmpty, let name = try? ACIdentifier(relative) { result.insert(.prefix(name), at: 0) }
        return result
    }

    /// The single key in `bytes` and its armored form; binary keys are armored.
    public static func inspect(_ bytes: [UInt8]) throws -> (key: PublicKey, armored: [UInt8]) {
        let home = try TemporaryGnuPGHome()
        let context = try GnuPGContext(home: home.path)
        _ = try context.importKeys(bytes)
        let keys = try context.listKeys()
        guard keys.count == 1, let key = keys.first else {
            throw keys.isEmpty ? TrustError.noKey : TrustError.severalKeys(count: keys.count)
        }
        let armored = bytes.starts(with: Array("-----BEGIN PGP PUBLIC KEY BLOCK-----".utf8)) ? bytes : try context.exportKeys(key.fingerprint)
        return (key, armored)
    }
}
