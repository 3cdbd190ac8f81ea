/// A pod registered with the metadata service, for its stage1: `--mds-token`, `--mds-port`.
public struct MetadataRegistration: Sendable, Equatable {
    public var token: String
    /// The port apps reach the service on.
    public var port: Int

    public init(token: String, port: Int) {
        self.token = token
        self.port = port
    }
}
