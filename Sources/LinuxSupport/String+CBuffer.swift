extension String {
    /// The text of a buffer a C function filled with a NUL-terminated string.
    public init(buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
