import CLISupport

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Create a release signing key.",
        discussion: """
        Creates a signing key for NAME <EMAIL> in the GnuPG home and, with --export-public, writes \
        its armored public key there for users to trust (rkt-trust add --prefix PREFIX FILE).
        """
    )

    @Option(help: "The key owner's name.") var name: String
    @Option(help: "The key owner's email address.") var email: String
    @Option(help: "Key algorithm: ed25519 or rsa4096.") var algo: KeyGenerator.Algorithm = .ed25519
    @Option(help: "Validity: 2y, 6m, 12w, 30d or never.") var expire = "2y"
    @Option(help: "GnuPG home directory (created if missing).") var homedir: String
    @Option(help: "Protect the key with the passphrase in this file (default: no passphrase).") var passphraseFile: String?
    @Option(help: "Write the armored public key to this file.") var exportPublic: String?

    func run() throws {
        try FileIO.makeDirectories(homedir, mode: 0o700)
        let generator = KeyGenerator(home: homedir, algorithm: algo, expiresIn: try KeyGenerator.seconds(expire),
                                     passphrase: try passphraseFile.map { try Passphrase.read($0) })
        let key = try generator.generate(name: name, email: email)
        Console.out("created key \(key.groupedFingerprint)")
        for userID in key.userIDs { Console.out("  \(userID)") }
        if let exportPublic {
            let armored = try GnuPGContext(home: homedir).exportKeys(key.fingerprint)
            let out = try AtomicOutput(path: exportPublic, overwrite: true)
            try FileIO.writeAll(out.fileDescriptor, armored, path: exportPublic)
            try out.commit()
            Console.out("public key written to \(exportPublic)")
        }
    }
}

extension KeyGenerator.Algorithm: ExpressibleByArgument {}
