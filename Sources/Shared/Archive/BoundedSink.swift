/// Passes bytes on unchanged until more than `limit` have come, then fails with the error
/// `exceeded` makes, before writing the bytes past the limit.
public final class BoundedSink: ByteSink {
    private let downstream: ByteSink
    private let limit: Int64
    private let exceeded: () -> Error
    private var count: Int64 = 0

    public init(downstream: ByteSink, limit: Int64, exceeded: @escaping () -> Error) {
        self.downstream = downstream
        self.limit = limit
        self.exceeded = exceeded
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        count += Int64(bytes.count)
        if count > limit { throw exceeded() }
        try downstream.write(bytes)
    }

    public func finish() throws { try downstream.finish() }
}
