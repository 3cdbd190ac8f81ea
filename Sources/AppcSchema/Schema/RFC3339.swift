/// RFC 3339 timestamps as Go's `time.Parse(time.RFC3339, …)` accepts them:
/// `2006-01-02T15:04:05[.fraction](Z|±hh:mm)` with calendar-valid fields.
public enum RFC3339 {
    public static func isValid(_ text: String) -> Bool {
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var value = 0
            for index in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[index]) else { return nil }
                value = value * 10 + Int(b[index] - UInt8(ascii: "0"))
            }
            return value
        }
        func byte(_ index: Int, _ expected: Character) -> Bool {
            index < b.count && b[index] == expected.asciiValue!
        }
        guard let year = number(0..<4), byte(4, "-"), let month = number(5..<7), byte(7, "-"),
              let day = number(8..<10), byte(10, "T"), let hour = number(11..<13), byte(13, ":"),
              let minute = number(14..<16), byte(16, ":"), let second = number(17..<19)
        else { return false }
        var index = 19
        if index + 1 < b.count, b[index] == UInt8(ascii: ".") || b[index] == UInt8(ascii: ","),
           (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[index + 1]) {
            index += 1
            while index < b.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[index]) { index += 1 }
        }
        if byte(index, "Z") {
            index += 1
        } else if byte(index, "+") || byte(index, "-") {
            // Go does not range-check the offset.
            guard number(index + 1..<index + 3) != nil, byte(index + 3, ":"), number(index + 4..<index + 6) != nil
            else { return false }
            index += 6
        } else {
            return false
        }
        guard index == b.count, (1...12).contains(month), hour < 24, minute < 60, second < 60 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day)
    }
}
