/// A pod operation that cannot be done, and why.
public struct PodError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
