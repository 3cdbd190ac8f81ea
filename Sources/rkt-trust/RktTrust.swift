import CLISupport

/// `rkt-trust`: manages which keys may sign which image-name prefixes.
/// Only `version` exists so far; the trust store commands come with their issue.
@main
struct RktTrust: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rkt-trust",
        abstract: "Manage the trust store: which keys may sign which image-name prefixes.",
        discussion: "The trust store commands are not available yet in this version.",
        subcommands: [Version.self]
    )

    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the version.")
        func run() { Console.out("rkt-trust version \(SuiteVersion.current)") }
    }

    static func main() {
        ToolRunner.run(RktTrust.self, arguments: Array(CommandLine.arguments.dropFirst()), codes: .init(failure: 1, usage: 2))
    }
}
