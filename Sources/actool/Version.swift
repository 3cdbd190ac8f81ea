import CLISupport

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version of actool and of the appc spec it implements.")

    func run() {
        Console.out("actool version \(SuiteVersion.current)")
        Console.out("appc version \(AppcSpec.version)")
    }
}
