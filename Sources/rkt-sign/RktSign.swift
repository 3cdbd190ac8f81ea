import CLISupport

/// `rkt-sign`: signs releases with armored detached OpenPGP signatures and verifies them.
/// Only `version` exists so far; signing and verification come with their issue.
@main
struct RktSign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rkt-sign",
        abstract: "Sign images (armored detached OpenPGP .aci.asc) and verify signatures.",
        discussion: "Signing and verification are not available yet in this version.",
        subcommands: [Version.self]
    )

    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the version.")
        func run() { Console.out("rkt-sign version \(SuiteVersion.current)") }
    }

    static func main() {
        ToolRunner.run(RktSign.self, arguments: Array(CommandLine.arguments.dropFirst()), codes: .init(failure: 1, usage: 2))
    }
}
