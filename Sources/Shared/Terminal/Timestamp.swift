import Glibc

/// Times as the tools print them.
public enum Timestamp {
    /// Go's `2006-01-02 15:04:05.999 -0700 MST` in local time, from nanoseconds since the epoch.
    public static func go(_ nanoseconds: Int64) -> String {
        var time = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        localtime_r(&time, &parts)
        var buffer = [CChar](repeating: 0, count: 64)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%d %H:%M:%S", &parts)
        var text = String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var millis = String(nanoseconds % 1_000_000_000 / 1_000_000).leftPadded(to: 3)
        while millis.hasSuffix("0") { millis.removeLast() }
        if !millis.isEmpty { text += "." + millis }
        let zone = strftime(&buffer, buffer.count, " %z %Z", &parts)
        return text + String(decoding: buffer[..<zone].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `now`, `3 minutes ago`, `6 days ago`.
    public static func relative(_ nanoseconds: Int64, now: Int64) -> String {
        let seconds = max((now - nanoseconds) / 1_000_000_000, 0)
        let units: [(Int64, String)] = [(31_536_000, "year"), (2_592_000, "month"), (604_800, "week"), (86_400, "day"),
                                        (3_600, "hour"), (60, "minute"), (1, "second")]
        guard seconds > 0, let (size, name) = units.first(where: { seconds >= $0.0 }) else { return "now" }
        let count = seconds / size
        return "\(count) \(name)\(count == 1 ? "" : "s") ago"
    }

    /// `2006-01-02T15:04:05Z` (UTC).
    public static func rfc3339(_ seconds: Int64) -> String {
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%SZ", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
