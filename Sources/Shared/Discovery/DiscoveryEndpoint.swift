/// Where an image and its signature can be downloaded.
public struct DiscoveryEndpoint: Sendable, Equatable {
    public var aci: String
    public var asc: String

    public init(aci: String, asc: String) {
        self.aci = aci
        self.asc = asc
    }
}
