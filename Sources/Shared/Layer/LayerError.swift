/// A layer that cannot be applied or checked, and why.
public struct LayerError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// `error` in the layer called `name`: the name is prefixed unless the message already starts
    /// with it (a layer's reader names its errors after the layer).
    public init(_ name: String, _ error: Error) { description = prefixed(name, error) }
}
