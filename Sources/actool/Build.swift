import CLISupport
import Logging

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "build",
        abstract: "Build an ACI from an image layout directory (manifest + rootfs/).",
        discussion: """
        The layout is validated first. The image is written to a temporary file next to OUTPUT_FILE and \
        renamed into place when complete, so a failed build leaves nothing. Builds are reproducible: \
        the same tree gives the same bytes (the manifest's time comes from SOURCE_DATE_EPOCH, else from \
        the manifest file). gzip is compressed on all cores. OUTPUT_FILE - writes to standard output. \
        With --format oci, OUTPUT_FILE is an OCI image layout directory (or an OCI archive when it ends \
        in .tar) holding one gzip layer and a config mapped from the manifest, tagged --tag (default: \
        the version label).
        """
    )

    enum Format: String, ExpressibleByArgument {
        case aci, oci
    }

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Overwrite the output file if it exists.") var overwrite = false
    @Flag(help: "Do not compress the image (same as --compression none).") var noCompression = false
    @Flag(help: "Record every file as owned by root:root.") var ownerRoot = false
    @Option(help: "Compression: gzip, bzip2, xz or none.") var compression: Compression = .gzip
    @Option(help: "Output format: aci, or oci (an OCI image layout, or an OCI archive for OUTPUT.tar).") var format: Format = .aci
    @Option(help: "With --format oci: the tag of the image (default: the version label).") var tag: String?
    @Argument(help: "The image layout directory.") var directory: String
    @Argument(help: "The image to write (must end in .aci; with --format oci a directory or .tar).") var outputFile: String

    func validate() throws {
        if compression == .zstd { throw ValidationError("--compression: zstd is not an ACI compression (gzip, bzip2, xz, none)") }
    }

    func run() throws {
        global.bootstrap()
        if format == .oci { return try buildOCI() }
        if outputFile != "-" && !outputFile.hasSuffix(".aci") {
            throw CommandFailure.message("Extension must be .aci (given \(extensionOf(outputFile)))")
        }
        let layout: ImageLayout
        do {
            layout = try ImageLayout(directory: directory)
        } catch {
            throw CommandFailure.message("Layout failed validation: \(error)")
        }
        let output: AtomicOutput
        do {
            output = try AtomicOutput(path: outputFile, overwrite: overwrite)
        } catch is AtomicOutput.ExistsError {
            throw CommandFailure.message("Target file exists (try --overwrite)")
        }
        let builder = ImageBuilder(compression: noCompression ? .none : compression, ownerRoot: ownerRoot,
                                   manifestTime: ImageBuilder.sourceDateEpoch)
        try builder.build(layout, to: FileSink(fileDescriptor: output.fileDescriptor, name: outputFile), name: outputFile)
        try output.commit()
        Logger(label: "").debug("\(outputFile): built from \(directory)")
    }
}

extension Build {
    private func buildOCI() throws {
        let layout: ImageLayout
        do {
            layout = try ImageLayout(directory: directory)
        } catch {
            throw CommandFailure.message("Layout failed validation: \(error)")
        }
        do {
            try OCIImageBuilder(ownerRoot: ownerRoot).build(layout, tag: tag, to: outputFile, overwrite: overwrite)
        } catch is AtomicOutput.ExistsError {
            throw CommandFailure.message("Target file exists (try --overwrite)")
        }
        Logger(label: "").debug("\(outputFile): OCI image built from \(directory)")
    }
}

/// The extension of a file name as Go's `filepath.Ext` gives it (`.tar`, or empty).
func extensionOf(_ path: String) -> String {
    let base = path.split(separator: "/").last.map(String.init) ?? path
    guard let dot = base.lastIndex(of: ".") else { return "" }
    return String(base[dot...])
}

extension Compression: ExpressibleByArgument {}
