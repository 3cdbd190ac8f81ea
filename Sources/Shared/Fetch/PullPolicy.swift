/// When to fetch from the network rather than use the store.
public enum PullPolicy: String, Sendable, CaseIterable {
    /// Use the stored image when there is one.
    case new
    /// Check the remote (honouring `Cache-Control` and ETag) and fetch when it changed.
    case update
    /// Never fetch: the image must be in the store.
    case never

    public init(parsing text: String) throws {
        guard let policy = PullPolicy(rawValue: text) else {
            throw OptionError.pullPolicy(text)
        }
        self = policy
    }
}
