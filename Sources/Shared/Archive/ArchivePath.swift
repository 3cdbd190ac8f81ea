/// Member names of archives, cleaned the way `path.Clean` does, and judged for safety.
/// Works on UTF-8 bytes: archives hold tens of thousands of names.
public enum ArchivePath {
    private static let slash = UInt8(ascii: "/")
    private static let dot = UInt8(ascii: ".")

    /// Removes `.` components, repeated and trailing slashes, and resolves `..` against earlier
    /// components (`a/../b` → `b`, `./x/` → `x`, `/../x` → `/x`). An empty result is `.`.
    public static func clean(_ path: String) -> String {
        let bytes = Array(path.utf8)
        if isClean(bytes) { return path }
        let absolute = bytes.first == slash
        var parts: [ArraySlice<UInt8>] = []
        for part in bytes.split(separator: slash) {
            if part.count == 1 && part.first == dot { continue }
            if part.count == 2 && part.allSatisfy({ $0 == dot }) {
                if let last = parts.last, !(last.count == 2 && last.allSatisfy { $0 == dot }) {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        var result: [UInt8] = absolute ? [slash] : []
        for (position, part) in parts.enumerated() {
            if position > 0 { result.append(slash) }
            result.append(contentsOf: part)
        }
        if result.isEmpty { return "." }
        return String(decoding: result, as: UTF8.self)
    }

    /// Whether any component of the name, as written, is `..`.
    public static func hasParentReference(_ path: String) -> Bool {
        var run = 0
        var onlyDots = true
        for byte in path.utf8 {
            if byte == slash {
                if onlyDots && run == 2 { return true }
                run = 0
                onlyDots = true
            } else {
                run += 1
                onlyDots = onlyDots && byte == dot
            }
        }
        return onlyDots && run == 2
    }

    /// The proper ancestors of a clean relative path, nearest last (`a/b/c` → `a`, `a/b`).
    public static func ancestors(of path: String) -> [String] {
        let bytes = Array(path.utf8)
        return bytes.indices.filter { bytes[$0] == slash }.map { String(decoding: bytes[..<$0], as: UTF8.self) }
    }

    /// A name with no empty, `.` or `..` component and no trailing slash.
    private static func isClean(_ bytes: [UInt8]) -> Bool {
        guard !bytes.isEmpty, bytes.last != slash else { return false }
        var start = bytes.first == slash ? 1 : 0
        var index = start
        while index <= bytes.count {
            if index == bytes.count || bytes[index] == slash {
                let length = index - start
                if length == 0 { return false }
                if length <= 2 && bytes[start..<index].allSatisfy({ $0 == dot }) { return false }
                start = index + 1
            }
            index += 1
        }
        return true
    }
}
