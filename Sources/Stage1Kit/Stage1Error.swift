/// A stage1 operation that failed, and why.
public struct Stage1Error: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
