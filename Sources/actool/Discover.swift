import CLISupport

struct Discover: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Discover the download URLs of app container images.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "App names: name[:version][,label=value…]") var apps: [String]

    func run() throws {
        throw CommandError("not implemented yet")
    }
}
