import CLISupport

/// `actool`: builds, validates, inspects and patches App Container Images, and runs discovery.
@main
struct Actool: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "actool",
        abstract: "actool, the application container tool: build, validate and inspect App Container Images.",
        discussion: "Exit status: 0 success, 1 invalid input or failure, 2 usage error.",
        subcommands: [Build.self, CatManifest.self, Convert.self, DigestCommand.self, Discover.self, PatchManifest.self, Unpack.self, Validate.self, Version.self]
    )

    /// Boolean flags, for Go-style `--flag=true|false` on the command line.
    static let booleanFlags: Set<String> = [
        "debug", "overwrite", "no-compression", "owner-root", "pretty-print", "replace", "json", "insecure", "help",
    ]

    static func main() {
        var arguments = GoStyleFlags.normalize(Array(CommandLine.arguments.dropFirst()), booleans: booleanFlags)
        // `--debug` is global in the reference (`actool --debug validate …`): move it after the subcommand.
        if let subcommand = arguments.firstIndex(where: { !$0.hasPrefix("-") }) {
            let globals = arguments[..<subcommand].filter { $0 == "--debug" }
            if !globals.isEmpty {
                arguments.removeSubrange(..<subcommand)
                arguments.insert(contentsOf: globals, at: 1)
            }
        }
        ToolRunner.run(Actool.self, arguments: arguments, codes: .init(failure: 1, usage: 2))
    }
}

/// Flags every actool command takes.
struct GlobalOptions: ParsableArguments {
    @Flag(help: "Print verbose output (success messages, what is being done).")
    var debug = false

    /// Installs the stderr logger for this run.
    func bootstrap() { StderrLogHandler.bootstrap(debug: debug) }
}
