/// A resource quantity (`100m`, `1.5Gi`, `2e9`) with the grammar and suffixes of the reference
/// (Kubernetes' `resource.Quantity`): decimal SI `n u m k M G T P E`, binary `Ki … Ei`, or an
/// exponent `e±N`. Values round up to whole units and saturate at `Int64.max`.
public struct Quantity: Sendable, Hashable, CustomStringConvertible {
    /// The text as written.
    public let text: String
    /// The amount: `digits` (a decimal integer, no leading zeros) × 10^`scale10` × 2^`scale2`.
    private let negative: Bool
    private let digits: [UInt8]
    private let scale10: Int
    private let scale2: Int

    public init(_ text: String) throws {
        self.text = text
        (negative, digits, scale10, scale2) = try Self.parse(text)
    }

    /// Reads a quantity as the reference does, from the JSON text as written (`source`, quotes
    /// stripped but escapes not decoded); nil for null.
    public static func decode(_ json: JSONValue, source: ArraySlice<UInt8>) throws -> Quantity? {
        switch json {
        case .null: return nil
        case .string, .number:
            var raw = String(decoding: source, as: UTF8.self)
            if raw.isEmpty, case .string(let text) = json { raw = text }
            if raw.isEmpty, case .number(let text) = json { raw = text }
            if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") { raw = String(raw.dropFirst().dropLast()) }
            return try Quantity(raw.trimmingASCIISpaces())
        default:
            throw JSONDecodingError("expected a quantity, got \(json.kindDescription)")
        }
    }

    public var description: String { text }

    /// The value in whole units, rounded up (`0.5` → 1), saturating at `Int64.max`.
    public var value: Int64 { scaled(by: 0) }

    /// The value in thousandths of a unit, rounded up (CPU quantities: `500m` → 500).
    public var milliValue: Int64 { scaled(by: 3) }

    /// ⌈amount × 10^extra⌉ away from zero, saturating.
    private func scaled(by extra: Int) -> Int64 {
        guard !digits.isEmpty else { return 0 }
        let magnitude = Double(digits.count + scale10 + extra) + Double(scale2) * 0.30103
        if magnitude > 19.5 { return negative ? Int64.min : Int64.max }
        // Keep as many leading digits as Int128 arithmetic allows; dropped non-zero digits round up.
        let room = max(1, 36 - Int((Double(scale2) * 0.30103).rounded(.up)))
        var exponent = scale10 + extra + max(0, digits.count - room)
        var inexact = digits.dropFirst(room).contains { $0 != 0 }
        var mantissa: Int128 = 0
        for digit in digits.prefix(room) { mantissa = mantissa * 10 + Int128(digit) }
        mantissa <<= scale2
        var result: Int128
        if exponent >= 0 {
            result = mantissa
            while exponent > 0 { result *= 10; exponent -= 1 }
        } else if -exponent > 38 {
            result = 0
            inexact = true
        } else {
            var divisor: Int128 = 1
            for _ in 0..<(-exponent) { divisor *= 10 }
            result = mantissa / divisor
            if mantissa % divisor != 0 { inexact = true }
        }
        if inexact { result += 1 }
        if result > Int128(Int64.max) { return negative ? Int64.min : Int64.max }
        return negative ? -Int64(result) : Int64(result)
    }

    private static let formatError = JSONDecodingError(
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")

    /// Go's `parseQuantityString` and suffix table: an optional sign, optional digits, an optional
    /// fraction, then a suffix; a missing number counts as 0.
    private static func parse(_ text: String) throws -> (Bool, [UInt8], Int, Int) {
        let b = Array(text.utf8)
        if b.isEmpty { throw formatError }
        var index = 0
        var negative = false
        if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") {
            negative = b[0] == UInt8(ascii: "-")
            index = 1
        }
        let integerStart = index
        while index < b.count, b[index].isASCIIDigit { index += 1 }
        var number = Array(b[integerStart..<index])
        var fractionLength = 0
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < b.count, b[index].isASCIIDigit { index += 1 }
            number += b[fractionStart..<index]
            fractionLength = index - fractionStart
        }
        let suffixStart = index
        while index < b.count, "eEinumkKMGTP".utf8.contains(b[index]) { index += 1 }
        if index < b.count, b[index] == UInt8(ascii: "-") || b[index] == UInt8(ascii: "+") { index += 1 }
        while index < b.count, b[index].isASCIIDigit { index += 1 }
        if index != b.count { throw formatError }
        let suffix = String(decoding: b[suffixStart...], as: UTF8.self)

        let (base, exponent): (Int, Int)
        switch suffix {
        case "": (base, exponent) = (10, 0)
        case "n": (base, exponent) = (10, -9)
        case "u": (base, exponent) = (10, -6)
        case "m": (base, exponent) = (10, -3)
        case "k": (base, exponent) = (10, 3)
        case "M": (base, exponent) = (10, 6)
        case "G": (base, exponent) = (10, 9)
        case "T": (base, exponent) = (10, 12)
        case "P": (base, exponent) = (10, 15)
        case "E": (base, exponent) = (10, 18)
        case "Ki": (base, exponent) = (2, 10)
        case "Mi": (base, exponent) = (2, 20)
        case "Gi": (base, exponent) = (2, 30)
        case "Ti": (base, exponent) = (2, 40)
        case "Pi": (base, exponent) = (2, 50)
        case "Ei": (base, exponent) = (2, 60)
        default:
            guard suffix.count > 1, suffix.first == "e" || suffix.first == "E", let parsed = Int64(suffix.dropFirst()) else {
                throw JSONDecodingError("unable to parse quantity's suffix (got \(quoted(text)))")
            }
            (base, exponent) = (10, Int(clamping: parsed))
        }
        let significant = Array(number.map { $0 - UInt8(ascii: "0") }.drop { $0 == 0 })
        let scale10 = (base == 10 ? exponent : 0).subtractingReportingOverflow(fractionLength).partialValue
        return (negative, significant, scale10, base == 2 ? exponent : 0)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingASCIISpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
