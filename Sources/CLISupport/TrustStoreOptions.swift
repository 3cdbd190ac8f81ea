/// Where the trust store lives (rkt's configuration directories).
public struct TrustStoreOptions: ParsableArguments {
    @Option(help: "Local configuration directory (trusted keys in trustedkeys/).") public var localConfig = "/etc/rkt"
    @Option(help: "System configuration directory (vendor-supplied trusted keys).") public var systemConfig = "/usr/lib/rkt"

    public init() {}

    public var store: TrustStore { TrustStore(localDirectory: localConfig, systemDirectory: systemConfig) }
}
