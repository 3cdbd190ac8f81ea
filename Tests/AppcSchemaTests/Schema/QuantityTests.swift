import AppcSchema
import TestSupport
import Testing

@Suite("Resource quantities")
struct QuantityTests {
    private let formatError = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"

    @Test("the grammar accepts numbers with an optional SI, binary or exponent suffix", arguments: [
        "0", "1", "+1", "-1", "1.5", ".5", "1.", ".", "007", "100m", "1n", "1u", "1k", "1M", "1G", "1T", "1P", "1E",
        "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei", "1e3", "1E3", "1e-3", "1e+3", "1.5Gi", "1.G",
    ])
    func validGrammar(text: String) throws {
        #expect(try Quantity(text).description == text)
    }

    @Test("text outside the grammar is refused", arguments: ["", "abc", "1 G", "1x", "1..5", "1G ", "0x10", "1,5", "KiB"])
    func badFormat(text: String) {
        #expect(thrownError { try Quantity(text) } == formatError)
    }

    @Test("suffixes that fit the grammar but are not units are refused", arguments: ["1K", "1e", "1iK", "1G1", "1mi", "1i-", "1e-"])
    func badSuffix(text: String) {
        #expect(thrownError { try Quantity(text) } == "unable to parse quantity's suffix (got \"\(text)\")")
    }

    @Test("values round up to whole units", arguments: [
        ("0", 0), ("0.5", 1), ("1.5", 2), ("1.000001", 2), ("100m", 1), ("1n", 1), ("1e-3", 1), ("1k", 1000), ("1e3", 1000),
        ("2Ki", 2048), ("1.5Mi", 1_572_864), ("1Gi", 1_073_741_824), ("1G", 1_000_000_000), ("-1", -1), (".5", 1),
    ] as [(String, Int64)])
    func value(text: String, expected: Int64) throws {
        #expect(try Quantity(text).value == expected)
    }

    @Test("negative fractions round away from zero, as the reference does", arguments: [("-0.5", -1), ("-1.5", -2)] as [(String, Int64)])
    func negativeRounding(text: String, expected: Int64) throws {
        #expect(try Quantity(text).value == expected)
    }

    @Test("milli values count thousandths, rounded up", arguments: [
        ("100m", 100), ("1", 1000), ("0.5", 500), ("1n", 1), ("250m", 250), ("1.5", 1500), ("1k", 1_000_000),
    ] as [(String, Int64)])
    func milliValue(text: String, expected: Int64) throws {
        #expect(try Quantity(text).milliValue == expected)
    }

    @Test("values beyond Int64 saturate at Int64.max")
    func saturation() throws {
        #expect(try Quantity("9Ei").value == Int64.max)
        #expect(try Quantity("8Ei").value == Int64.max)
        #expect(try Quantity("7Ei").value == 7 << 60)
        #expect(try Quantity("123456789012345678901234567890").value == Int64.max)
        #expect(try Quantity("9Ei").milliValue == Int64.max)
    }

    @Test("JSON numbers and strings are both quantities; strings are trimmed")
    func decoding() throws {
        #expect(try Quantity.decode(.number("1e3"), source: [])?.value == 1000)
        #expect(try Quantity.decode(.string(" 1G "), source: [])?.value == 1_000_000_000)
        #expect(try Quantity.decode(.null, source: []) == nil)
        #expect(thrownError { try Quantity.decode(.bool(true), source: []) } == "expected a quantity, got a boolean")
        #expect(thrownError { try Quantity.decode(.array([]), source: []) } == "expected a quantity, got an array")
    }

    @Test("the number may be left out, as the reference's scanner reads it as zero", arguments: ["+", "-", "G", "Ki", "e5", "-G"])
    func missingNumber(text: String) throws {
        // Reference: {"limit":"+"} validates, and resource.ParseQuantity returns 0 for each of these.
        #expect(try Quantity(text).value == 0)
    }

    @Test("exponents beyond 100 are accepted, as the reference's parser accepts any int64 exponent",
          arguments: ["1e200", "1e1000", "1e-200"])
    func largeExponents(text: String) throws {
        // Reference: {"limit":"1e200"} and {"limit":"1e1000"} validate.
        #expect(try Quantity(text).description == text)
    }
}
