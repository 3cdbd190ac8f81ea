/// Go durations (`24h`, `30m`, `1h30m`, `10s`, `0`) as the tools' flags take them.
public enum GoDuration {
    /// Whole seconds (fractions of a second are dropped).
    public static func seconds(_ text: String) throws -> Int64 {
        if text == "0" { return 0 }
        var total: Double = 0
        var number = ""
        var rest = Substring(text)
        guard !rest.isEmpty else { throw OptionError.emptyDuration(text) }
        while !rest.isEmpty {
            number = String(rest.prefix { $0.isNumber || $0 == "." })
            rest = rest.dropFirst(number.count)
            let unit = String(rest.prefix { !$0.isNumber && $0 != "." })
            rest = rest.dropFirst(unit.count)
            guard let value = Double(number) else { throw OptionError.durationSyntax(text) }
            let scale: Double
            switch unit {
            case "h": scale = 3600
            case "m": scale = 60
            case "s": scale = 1
            case "ms": scale = 0.001
            default: throw OptionError.durationUnit(text, unit: unit)
            }
            total += value * scale
        }
        return Int64(total)
    }

    /// Go's spelling of a whole number of seconds, as rkt's messages show it: `30m0s`, `1h0m0s`, `10s`.
    public static func description(seconds: Int64) -> String {
        let (hours, minutes, rest) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
        if hours > 0 { return "\(hours)h\(minutes)m\(rest)s" }
        return minutes > 0 ? "\(minutes)m\(rest)s" : "\(rest)s"
    }
}
