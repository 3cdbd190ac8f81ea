import CLISupport

struct Sign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Write an armored detached signature of an image.",
        discussion: """
        The signature covers the exact bytes of IMAGE (compressed or not) and goes to IMAGE.asc unless \
        -o says otherwise; IMAGE - reads standard input and writes the signature to standard output. \
        With --oci LAYOUT[:TAG] --identity REF, writes a containers/image "simple signing" signature \
        (as skopeo standalone-sign does) of the image's manifest digest for REF, to -o (default signature-1).
        """
    )

    @OptionGroup var signing: SigningOptions
    @Option(name: [.short, .customLong("output")], help: "Where to write the signature (- for standard output).") var output: String?
    @Flag(help: "Sign an OCI image (simple signing) instead of a file.") var oci = false
    @Option(help: "With --oci: the docker reference the signature vouches for (example.com/app:1.0).") var identity: String?
    @Argument(help: "The image (a file, or with --oci an OCI layout LAYOUT[:TAG]).") var image: String

    func validate() throws {
        if oci && identity == nil { throw ValidationError("--oci needs --identity REFERENCE") }
        if !oci && identity != nil { throw ValidationError("--identity goes with --oci") }
    }

    func run() throws {
        if oci { return try signOCI() }
        let target = output ?? (image == "-" ? "-" : image + ".asc")
        let input = try InputFile(path: image)
        let signature = try input.withContent { fd in try signing.signer.sign(fileDescriptor: fd) }
        try write(signature, to: target)
    }

    private func signOCI() throws {
        let manifest = try OCIManifestDigest.resolve(image)
        let signature = try SimpleSigning.sign(reference: identity!, manifestDigest: manifest, signer: try signing.signer,
                                               timestamp: Int64(WallClock.now()))
        try write(signature, to: output ?? "signature-1")
    }

    private func write(_ bytes: [UInt8], to path: String) throws {
        let out = try AtomicOutput(path: path, overwrite: true)
        try FileIO.writeAll(out.fileDescriptor, bytes, path: path)
        try out.commit()
    }
}
