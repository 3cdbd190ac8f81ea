import CLISupport

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert between ACIs and container images.",
        discussion: """
        IN.aci → OUT: an OCI image layout directory, or an OCI archive when OUT ends in .tar. \
        IN an OCI layout (LAYOUT[:TAG]), an OCI archive or a docker-archive tar → OUT.aci: the layers \
        are flattened (whiteouts applied) and the config mapped to the appc manifest (Entrypoint+Cmd → \
        exec, Env, User, WorkingDir, ExposedPorts, Volumes, Labels → annotations, os/arch labels). The \
        ACI's name comes from --name or from the image's reference.
        """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var platformOptions: PlatformOptions
    @Option(help: "The name of the produced ACI (example.com/app).") var name: String?
    @Option(help: "The tag of the produced OCI image (default: the version label).") var tag: String?
    @Option(help: "Compression of the produced ACI: gzip, bzip2, xz or none.") var compression: Compression = .gzip
    @Flag(help: "Overwrite the output if it exists.") var overwrite = false
    @Argument(help: "The image to convert.") var input: String
    @Argument(help: "The image to write.") var output: String

    func run() throws {
        global.bootstrap()
        do {
            if input.hasSuffix(".aci") {
                try ImageConverter.toOCI(aci: input, target: output, tag: tag, overwrite: overwrite)
            } else {
                guard output == "-" || output.hasSuffix(".aci") else {
                    throw CommandFailure.message("Extension must be .aci (given \(extensionOf(output)))")
                }
                let source = try SourceImage.open(input, platform: platformOptions.platform)
                try ImageConverter.toACI(source, output: output, name: name, compression: compression, overwrite: overwrite)
            }
        } catch is AtomicOutput.ExistsError {
            throw CommandFailure.message("Output file exists (try --overwrite)")
        }
    }
}
