import Foundation

/// A resource quantity (`100m`, `1.5Gi`, `2e9`) with the grammar and suffixes of the reference
/// (Kubernetes' `resource.Quantity`): decimal SI `n u m k M G T P E`, binary `Ki … Ei`, or an
/// exponent `e±N`. Values round up to whole units and saturate at `Int64.max`.
public struct Quantity: Sendable, Hashable, CustomStringConvertible {
    /// The text as written.
    public let text: String
    private let amount: Decimal

    public init(_ text: String) throws {
        self.text = text
        amount = try Self.parse(text)
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
            return try Quantity(raw.trimmingCharacters(in: .whitespaces))
        default:
            throw JSONDecodingError("expected a quantity, got \(json.kindDescription)")
        }
    }

    public var description: String { text }

    /// The value in whole units, rounded up (`0.5` → 1), saturating at `Int64.max`.
    public var value: Int64 { Self.roundUp(amount) }

    /// The value in thousandths of a unit, rounded up (CPU quantities: `500m` → 500).
    public var milliValue: Int64 { Self.roundUp(amount * 1000) }

    private static func roundUp(_ decimal: Decimal) -> Int64 {
        var input = decimal
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, 0, decimal < 0 ? .down : .up)
        if rounded >= Decimal(Int64.max) { return Int64.max }
        if rounded <= Decimal(Int64.min) { return Int64.min }
        return NSDecimalNumber(decimal: rounded).int64Value
    }

    private static let formatError = JSONDecodingError(
        "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")

    /// Go's `parseQuantityString` and suffix table: an optional sign, optional digits, an optional
    /// fraction, then a suffix; a missing number counts as 0.
    private static func parse(_ text: String) throws -> Decimal {
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
        let integer = String(decoding: b[integerStart..<index], as: UTF8.self)
        var fraction = ""
        if index < b.count, b[index] == UInt8(ascii: ".") {
            index += 1
            let fractionStart = index
            while index < b.count, b[index].isASCIIDigit { index += 1 }
            fraction = String(decoding: b[fractionStart..<index], as: UTF8.self)
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
        let digits = (integer.isEmpty ? "0" : integer) + (fraction.isEmpty ? "" : "." + fraction)
        guard var amount = Decimal(string: digits, locale: Locale(identifier: "en_US_POSIX")) else {
            throw JSONDecodingError("unable to parse numeric part of quantity (got \(quoted(text)))")
        }
        if amount != 0 {
            // Beyond what Decimal holds the value saturates (or becomes the smallest unit, rounded up).
            if base == 10 {
                let scale = min(max(exponent, -100), 100)
                amount = scale >= 0 ? amount * pow(Decimal(10), scale) : amount / pow(Decimal(10), -scale)
            } else {
                amount *= pow(Decimal(2), exponent)
            }
        }
        return negative ? -amount : amount
    }
}
