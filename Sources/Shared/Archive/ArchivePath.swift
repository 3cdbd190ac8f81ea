/// Member names of archives, cleaned the way `path.Clean` does, and judged for safety.
public enum ArchivePath {
    /// Removes `.` components, repeated and trailing slashes, and resolves `..` against earlier
    /// components (`a/../b` → `b`, `./x/` → `x`, `/../x` → `/x`). An empty result is `.`.
    public static func clean(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !absolute {
                    parts.append(part)
                }
            default: parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Whether any component of the name, as written, is `..`.
    public static func hasParentReference(_ path: String) -> Bool {
        path.split(separator: "/").contains("..")
    }

    /// The proper ancestors of a clean relative path, nearest last (`a/b/c` → `a`, `a/b`).
    public static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var index = path.startIndex
        while let slash = path[index...].firstIndex(of: "/") {
            result.append(String(path[..<slash]))
            index = path.index(after: slash)
        }
        return result
    }
}
