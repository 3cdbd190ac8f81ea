import CLISupport

/// `rkt-sign`: signs releases with armored detached OpenPGP signatures and verifies them.
@main
struct RktSign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rkt-sign",
        abstract: "Sign images (armored detached OpenPGP .aci.asc) and verify signatures.",
        discussion: "Exit status: 0 success, 1 failure (an invalid or untrusted signature included), 2 usage error.",
        subcommands: [Sign.self, Verify.self, Keygen.self, Version.self]
    )

    static func main() {
        ToolRunner.run(RktSign.self, arguments: Array(CommandLine.arguments.dropFirst()), codes: .init(failure: 1, usage: 2))
    }

    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")
        func run() { Console.out("rkt-sign version \(SuiteVersion.current)") }
    }
}

/// The GnuPG home and key to sign with.
struct SigningOptions: ParsableArguments {
    @Option(help: "The secret key to sign with (ID, fingerprint or user ID; default: the first).") var key: String?
    @Option(help: "GnuPG home directory (default: $GNUPGHOME, else ~/.gnupg).") var homedir: String?
    @Option(help: "Read the key's passphrase from this file (no pinentry window).") var passphraseFile: String?

    var home: String { homedir ?? Environment.value("GNUPGHOME") ?? "\(Environment.value("HOME") ?? "/root")/.gnupg" }

    func passphrase() throws -> String? {
        try passphraseFile.map { try Passphrase.read($0) }
    }

    var signer: DetachedSigner {
        get throws { DetachedSigner(home: home, keyID: key, passphrase: try passphrase()) }
    }
}
