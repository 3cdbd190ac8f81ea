import CLISupport

/// `rkt`: fetches, verifies, stores and runs images as pods.
@main
struct Rkt: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rkt",
        abstract: "Fetch, verify and run App Container images as pods.",
        discussion: """
        Global options (--dir, --local-config, --system-config, --user-config, --insecure-options, \
        --trust-keys-from-https, --debug) may come before the command, as with rkt. Errors exit 254 \
        with a "<command>: " prefixed message.
        """,
        subcommands: [Run.self, Prepare.self, RunPrepared.self, Fetch.self, List.self, Status.self, Enter.self, Stop.self,
                      Remove.self, GarbageCollect.self, CatManifest.self, Export.self, Trust.self, ImageCommand.self, MetadataServiceCommand.self,
                      Version.self]
    )

    static func main() {
        // The command tree is only consulted when global options come first.
        var arguments = GlobalOptions.movingGlobals(Array(CommandLine.arguments.dropFirst())) { name in
            guard let command = configuration.subcommands.first(where: { $0._commandName == name }) else { return nil }
            return command.configuration.subcommands.map { $0._commandName }
        }
        // `status --wait` is a flag with an optional value in rkt: bare, it waits without limit.
        if arguments.first == "status" { arguments = arguments.map { $0 == "--wait" ? "--wait=true" : $0 } }
        // So is run-prepared's `--mds-register` (a boolean flag): bare, it is true.
        if arguments.first == "run-prepared" { arguments = arguments.map { $0 == "--mds-register" ? "--mds-register=true" : $0 } }
        if arguments.first == "run" || arguments.first == "prepare" { arguments = withoutStrayEndMarkers(arguments) }
        let quick: ParsableCommand? = switch arguments.first {
        case "run": Run.quickParse(arguments.dropFirst())
        case "fetch": Fetch.quickParse(arguments.dropFirst())
        default: nil
        }
        ToolRunner.run(Rkt.self, arguments: arguments, codes: .init(failure: 254, usage: 254), parsed: quick)
    }

    /// rkt ignores a `---` outside an app's arguments; ArgumentParser would take one that comes
    /// before the first `--` for an unknown option.
    static func withoutStrayEndMarkers(_ arguments: [String]) -> [String] {
        let end = arguments.firstIndex(of: "--") ?? arguments.endIndex
        return arguments[..<end].filter { $0 != "---" } + arguments[end...]
    }

    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")
        func run() {
            Console.out("rkt Version: \(SuiteVersion.current)")
            Console.out("appc Version: \(AppcSpec.version)")
        }
    }
}
