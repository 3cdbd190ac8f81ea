import CLISupport
import Logging

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate App Container images, layouts and manifests.",
        discussion: """
        Each FILE is an image archive (tar, gzip, bzip2, xz), an image layout directory, or an image or \
        pod manifest; the kind is detected from the content unless --type says it. Prints one line per \
        invalid file on standard error and exits 1 if any is invalid; quiet on success unless --debug. \
        - reads standard input.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Option(help: "The kind of every FILE: appimage, layout, manifest, podmanifest or oci.")
    var type: ImageValidator.Kind?
    @Argument(help: "Files or directories to validate.") var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("must pass one or more files") }
    }

    func run() throws {
        global.bootstrap()
        let log = Logger(label: "")
        var invalid = false
        for file in files {
            do {
                let kind = try ImageValidator.validate(file, as: type)
                log.debug("\(file): \(kind.validDescription)")
            } catch {
                Console.error("\(file): \(error)")
                invalid = true
            }
        }
        if invalid { throw CommandFailure.reported }
    }
}

extension ImageValidator.Kind: ExpressibleByArgument {}
