/// Why an OCI image layout, archive or one of its blobs cannot be used.
public struct OCILayoutError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
