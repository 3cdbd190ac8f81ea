/// Sizes as people write them in options and read them in messages: `4MiB`, `16GiB`, `1048576`.
public enum ByteSize {
    /// A whole number of bytes, optionally followed by a binary unit (`K`, `KiB`, `M`, `MiB`, `G`,
    /// `GiB`, `T`, `TiB`; any case). Zero and negative sizes are refused.
    public static func parse(_ text: String) throws -> Int64 {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = text.dropFirst(digits.count).lowercased()
        let shifts: [String: Int64] = ["": 0, "b": 0, "k": 10, "kib": 10, "m": 20, "mib": 20, "g": 30, "gib": 30, "t": 40, "tib": 40]
        guard let number = Int64(digits), number > 0, let shift = shifts[unit], number <= Int64.max >> shift else {
            throw OptionError.size(text)
        }
        return number << shift
    }

    /// `16 GiB`, `1 KiB`, `1500 bytes`: the largest binary unit the size is a whole number of.
    public static func description(_ bytes: Int64) -> String {
        for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] where bytes >= 1 << shift && bytes % (1 << shift) == 0 {
            return "\(bytes >> shift) \(unit)"
        }
        return "\(bytes) bytes"
    }
}
