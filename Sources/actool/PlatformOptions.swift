import CLISupport

/// Which image to pick from a multi-platform index.
struct PlatformOptions: ParsableArguments {
    @Option(help: "Operating system of the image to pick (default: the host's).") var os: String?
    @Option(help: "Architecture of the image to pick, in OCI names (default: the host's).") var arch: String?
    @Option(help: "Architecture variant of the image to pick (v7, v8…).") var variant: String?

    var platform: Platform {
        let host = Platform.host
        return Platform(os: os ?? host.os, architecture: arch ?? host.architecture, variant: variant ?? (arch == nil ? host.variant : nil))
    }
}
