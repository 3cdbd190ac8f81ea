import CLISupport

/// `rkt`: fetches, verifies, stores and runs images as pods.
/// Only `version` exists so far; the store, fetch and pods come with their issues.
@main
struct Rkt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rkt",
        abstract: "Fetch, verify and run App Container images as pods.",
        discussion: "Fetching and running are not available yet in this version.",
        subcommands: [Version.self]
    )

    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the version.")
        func run() {
            Console.out("rkt Version: \(SuiteVersion.current)")
            Console.out("appc Version: \(AppcSpec.version)")
        }
    }

    static func main() {
        ToolRunner.run(Rkt.self, arguments: Array(CommandLine.arguments.dropFirst()), codes: .init(failure: 254, usage: 254))
    }
}
