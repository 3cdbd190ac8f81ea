/// A semantic version (`acVersion`, the `version` label of images), parsed as the reference does:
/// three dot-separated decimal integers (leading zeros allowed), then optional `-pre.release` and
/// `+build.metadata` identifiers of `[0-9A-Za-z-]`. `0.0.0` is refused.
public struct SemVer: JSONRepresentable, Hashable, Comparable, CustomStringConvertible {
    public var major: Int64
    public var minor: Int64
    public var patch: Int64
    public var preRelease: String
    public var metadata: String

    public init(major: Int64, minor: Int64, patch: Int64, preRelease: String = "", metadata: String = "") {
        self.major = major
        self.minor = minor
        self.patch = patch
        self.preRelease = preRelease
        self.metadata = metadata
    }

    public init(_ text: String) throws {
        var rest = Substring(text)
        var metadata = ""
        if let plus = rest.firstIndex(of: "+") {
            metadata = String(rest[rest.index(after: plus)...])
            rest = rest[..<plus]
        }
        var preRelease = ""
        if let dash = rest.firstIndex(of: "-") {
            preRelease = String(rest[rest.index(after: dash)...])
            rest = rest[..<dash]
        }
        let parts = rest.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3,
              Self.isIdentifierList(preRelease), Self.isIdentifierList(metadata),
              let major = Self.component(parts[0]), let minor = Self.component(parts[1]),
              let patch = Self.component(parts[2])
        else { throw JSONDecodingError("SemVer is bad (got \(quoted(text)))") }
        self.init(major: major, minor: minor, patch: patch, preRelease: preRelease, metadata: metadata)
        if isZero { throw JSONDecodingError("SemVer cannot be zero") }
    }

    public init(json: JSONValue) throws { try self.init(json.stringValue()) }

    public static var nullPolicy: JSONObjectReader.NullPolicy { .decode }

    public var json: JSONValue { .string(description) }

    public var isZero: Bool {
        major == 0 && minor == 0 && patch == 0 && preRelease.isEmpty && metadata.isEmpty
    }

    public var description: String {
        var text = "\(major).\(minor).\(patch)"
        if !preRelease.isEmpty { text += "-\(preRelease)" }
        if !metadata.isEmpty { text += "+\(metadata)" }
        return text
    }

    /// Semantic-versioning precedence; build metadata does not count.
    public static func < (lhs: SemVer, rhs: SemVer) -> Bool {
        if (lhs.major, lhs.minor, lhs.patch) != (rhs.major, rhs.minor, rhs.patch) {
            return (lhs.major, lhs.minor, lhs.patch) < (rhs.major, rhs.minor, rhs.patch)
        }
        if lhs.preRelease == rhs.preRelease { return false }
        if lhs.preRelease.isEmpty { return false }
        if rhs.preRelease.isEmpty { return true }
        let left = lhs.preRelease.split(separator: ".")
        let right = rhs.preRelease.split(separator: ".")
        for (a, b) in zip(left, right) where a != b {
            switch (Int64(a), Int64(b)) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a < b
            }
        }
        return left.count < right.count
    }

    /// Go's `strconv.ParseInt(s, 10, 64)` without the sign (a sign cannot reach here).
    private static func component(_ text: Substring) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return Int64(text)
    }

    private static func isIdentifierList(_ text: String) -> Bool {
        if text.isEmpty { return true }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { identifier in
            !identifier.isEmpty && identifier.utf8.allSatisfy { byte in
                ACIdentifier.isLowerAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                    || byte == UInt8(ascii: "-")
            }
        }
    }
}
