/// The `key=value,key=value` strings of command-line flags (`--volume`, `--mount`, `--ports`,
/// app strings), parsed as the reference does: split on `,`, then on the first `=`; a repeated key
/// is an error.
public enum KeyValueString {
    /// The pairs in order. Fails on a part without `=` or a key given twice.
    public static func parse(_ text: String) throws -> [(key: String, value: String)] {
        var pairs: [(key: String, value: String)] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let equals = part.firstIndex(of: "=") else {
                throw JSONDecodingError("malformed string \(quoted(text)) - has a label without a value: \(part)")
            }
            let key = String(part[..<equals])
            let value = String(part[part.index(after: equals)...])
            if let previous = pairs.first(where: { $0.key == key }) {
                throw JSONDecodingError("label \(key) with multiple values [\(quoted(previous.value)) \(quoted(value))]")
            }
            pairs.append((key, value))
        }
        return pairs
    }

    /// Go's `strconv.ParseBool`.
    public static func bool(_ text: String) throws -> Bool {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": return true
        case "0", "f", "F", "false", "FALSE", "False": return false
        default: throw JSONDecodingError("invalid boolean \(quoted(text)) (use true or false)")
        }
    }
}
