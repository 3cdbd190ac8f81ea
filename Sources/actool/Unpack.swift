import CLISupport

struct Unpack: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpack",
        abstract: "Unpack a container image into an appc image layout directory.",
        discussion: """
        IN is an OCI layout (LAYOUT[:TAG]), an OCI archive or a docker-archive tar. DIR receives rootfs/ \
        (the layers applied in order, whiteouts resolved, nothing written outside it) and manifest (the \
        image config mapped to an appc manifest), ready for actool build.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var platformOptions: PlatformOptions
    @Option(help: "The name for the manifest (example.com/app; default: the image's reference).") var name: String?
    @Argument(help: "The image to unpack.") var input: String
    @Argument(help: "The directory to create.") var directory: String

    func run() throws {
        global.bootstrap()
        let source = try SourceImage.open(input, platform: platformOptions.platform)
        try ImageConverter.unpack(source, into: directory, name: name)
    }
}
