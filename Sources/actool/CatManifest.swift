import CLISupport

struct CatManifest: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat-manifest",
        abstract: "Print the manifest of an ACI.",
        discussion: """
        The whole image is checked first; the manifest is printed only if the image is valid. Without \
        --pretty-print the manifest bytes are printed exactly as stored. ACI_FILE - reads standard input.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the manifest indented (normalized).") var prettyPrint = false
    @Argument(help: "The image.") var aciFile: String

    func run() throws {
        global.bootstrap()
        let input = try InputFile(path: aciFile)
        let image: (bytes: [UInt8], manifest: ImageManifest)
        do {
            image = try ImageArchiveScanner.scan(try input.archiveReader())
        } catch {
            throw CommandFailure.message("Unable to read \(aciFile): \(error)")
        }
        Console.out(bytes: (prettyPrint ? JSONWriter.indented(image.manifest.json) : image.bytes) + [0x0A])
    }
}
