/// Pod tokens of the metadata service: 128 random bits in hex, as rkt made them (the appc spec
/// asks for no fewer, and for nothing guessable such as the pod's UUID).
public enum MetadataToken {
    /// A new token: 32 lowercase hex digits from the kernel's random source.
    public static func random() -> String {
        randomBytes(16).map { byte in String(byte, radix: 16).leftPadded(to: 2) }.joined()
    }

    /// `count` bytes from the kernel's random source (getrandom).
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// Whether `text` has a token's form (which says nothing of whether it is registered).
    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { $0.isHexDigit }
    }
}
