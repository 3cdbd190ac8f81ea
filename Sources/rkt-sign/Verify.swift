import CLISupport

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify an image's signature against the trust store.",
        discussion: """
        Checks SIGNATURE (default IMAGE.asc) against exactly the keys the trust store trusts for the \
        image's name (read from its manifest unless --name): root keys and the keys of every prefix \
        of the name. With --keyring FILE, against the keys in FILE instead. Prints the signer's \
        fingerprint and user IDs; exit 1 with the reason otherwise. With --oci LAYOUT[:TAG] \
        --identity REF SIGNATURE, verifies a simple-signing signature (skopeo standalone-sign's) of \
        the image's manifest, the name for key selection being REF's repository.
        """
    )

    @OptionGroup var store: TrustStoreOptions
    @Option(help: "The image name to select keys for (default: from the image's manifest).") var name: String?
    @Option(help: "Verify with the keys of this keyring file instead of the trust store.") var keyring: String?
    @Flag(help: "Verify a simple-signing signature of an OCI image.") var oci = false
    @Option(help: "With --oci: the docker reference the signature must vouch for.") var identity: String?
    @Argument(help: "The image (with --oci, an OCI layout LAYOUT[:TAG]).") var image: String
    @Argument(help: "The signature (default: IMAGE.asc).") var signature: String?

    func validate() throws {
        if oci && (identity == nil || signature == nil) { throw ValidationError("--oci needs --identity REFERENCE and a SIGNATURE file") }
    }

    func run() throws {
        let keys: KeySelection = try keyring.map { .keyring(contents: try FileIO.readFile($0, limit: 16 << 20), path: $0) }
            ?? .trustStore(store.store)
        do {
            if oci {
                let result = try ImageSignatureVerifier.verifyOCI(layout: image, identity: identity!, signature: signature!, keys: keys)
                return report(result.signer, what: "\(identity!) (\(image))")
            }
            let result = try ImageSignatureVerifier.verify(image: image, signature: signature ?? image + ".asc",
                                                           name: try name.map { try ACIdentifier($0) }, keys: keys)
            report(result.signer, what: result.name.map { "\($0) (\(image))" } ?? image)
        } catch let error as ImageVerificationError {
            Console.error("verify: \(image): \(error)")
            throw CommandFailure.reported
        }
    }

    private func report(_ signer: SignatureVerifier.Signer, what: String) {
        Console.out("signature verified: \(what)")
        Console.out("  key fingerprint: \(signer.key.groupedFingerprint)")
        for userID in signer.key.userIDs { Console.out("  \(userID)") }
    }
}
