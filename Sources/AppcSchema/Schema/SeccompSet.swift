/// The value of a seccomp retain or remove isolator: the syscalls (or `@group` wildcards) and the
/// errno the filtered calls fail with (empty = the executor's default).
public struct SeccompSet: Sendable, Hashable {
    public var syscalls: [String]
    public var errno: String

    public init(syscalls: [String], errno: String = "") throws {
        self.syscalls = syscalls
        self.errno = errno
        try validate()
    }

    init(json: JSONValue) throws {
        let reader = try JSONObjectReader(json)
        try self.init(syscalls: reader.array("set") { try $0.stringValue() } ?? [], errno: reader.string("errno") ?? "")
    }

    /// The reference's encoding: `{"set":[…],"errno":"…"}`, errno always present.
    public var json: JSONValue {
        .object(["set": .array(syscalls.map(JSONValue.string)), "errno": .string(errno)])
    }

    private func validate() throws {
        if syscalls.isEmpty { throw JSONDecodingError("set must be non-empty") }
        guard let first = errno.unicodeScalars.first else { return }
        if first != "E" {
            throw JSONDecodingError("errno must start with an 'E' character, got \(errno)")
        }
        let allowed: Set<Unicode.GeneralCategory> = [.uppercaseLetter, .decimalNumber, .letterNumber, .otherNumber]
        if !errno.unicodeScalars.allSatisfy({ allowed.contains($0.properties.generalCategory) }) {
            throw JSONDecodingError("errno can only contain upper case or numeric characters, got \(errno)")
        }
    }
}
