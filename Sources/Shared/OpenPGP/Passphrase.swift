/// Passphrases read from files (never from the command line, where `ps` would show them).
public enum Passphrase {
    /// The first line of the file.
    public static func read(_ path: String) throws -> String {
        let bytes = try FileIO.readFile(path, limit: 64 * 1024)
        let line = bytes.prefix { $0 != 0x0A && $0 != 0x0D }
        return String(decoding: line, as: UTF8.self)
    }
}
