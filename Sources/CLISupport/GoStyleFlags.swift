/// Rewrites a command line written for Go's `flag` package so swift-argument-parser reads it the
/// same way: `-name` means `--name`, and boolean flags take `=true` or `=false`.
public enum GoStyleFlags {
    /// `booleans` names the boolean flags (without dashes); `--flag=false` drops the flag.
    public static func normalize(_ arguments: [String], booleans: Set<String>) -> [String] {
        var result: [String] = []
        var passthrough = false
        for argument in arguments {
            if passthrough || argument == "--" {
                passthrough = true
                result.append(argument)
                continue
            }
            var normalized = argument
            if argument.hasPrefix("-"), !argument.hasPrefix("--"), argument.count > 2 {
                normalized = "-" + argument
            }
            if normalized.hasPrefix("--"), let equals = normalized.firstIndex(of: "=") {
                let name = String(normalized[normalized.index(normalized.startIndex, offsetBy: 2)..<equals])
                let value = normalized[normalized.index(after: equals)...]
                if booleans.contains(name) {
                    switch value {
                    case "true", "1", "t", "T", "TRUE", "True": result.append("--\(name)")
                    case "false", "0", "f", "F", "FALSE", "False": break
                    default: result.append(normalized)
                    }
                    continue
                }
            }
            result.append(normalized)
        }
        return result
    }
}
