import CLISupport
import Logging

/// rkt's global options, accepted before or after the command.
struct GlobalOptions: ParsableArguments {
    @Option(help: "The data directory (default /var/lib/rkt, or paths.d's data).") var dir: String?
    @Option(help: "Local configuration directory.") var localConfig = Self.defaultLocalConfig
    @Option(help: "System configuration directory.") var systemConfig = Self.defaultSystemConfig
    @Option(help: "User configuration directory.") var userConfig: String?
    @Option(help: "Comma-separated security features to disable: none, image, tls, ondisk, http, pubkey, capabilities, paths, seccomp, all-fetch, all-run, all.")
    var insecureOptions = Self.defaultInsecureOptions
    @Flag(help: "Trust keys discovered over https without asking.") var trustKeysFromHttps = false
    @Flag(help: "Print more about what is done.") var debug = false

    static let defaultLocalConfig = "/etc/rkt"
    static let defaultSystemConfig = "/usr/lib/rkt"
    static let defaultInsecureOptions = "none"

    /// The global options that take a value, then the flags: for moving them after the command,
    /// and for reading them without ArgumentParser (`QuickArguments`).
    static let valued: Set<String> = ["--dir", "--local-config", "--system-config", "--user-config", "--insecure-options"]
    static let flags: Set<String> = ["--debug", "--trust-keys-from-https"]

    /// Moves global options written before the command (`rkt --dir D image list`) after it.
    /// `subcommands` gives a command's subcommand names (empty for a command without), nil for an
    /// unknown command: the globals are then dropped, so that the error names the command.
    static func movingGlobals(_ arguments: [String], subcommands: (String) -> [String]?) -> [String] {
        var globals: [String] = []
        var rest = arguments[...]
        while let first = rest.first, first.hasPrefix("--") {
            let name = String(first.prefix { $0 != "=" })
            if flags.contains(name) || (valued.contains(name) && first.contains("=" as Character)) {
                globals.append(first)
                rest = rest.dropFirst()
            } else if valued.contains(name), rest.count > 1 {
                globals += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else {
                break
            }
        }
        guard !globals.isEmpty, let command = rest.first else { return arguments }
        guard let subcommands = subcommands(command) else { return Array(rest) }
        var path = [command]
        rest = rest.dropFirst()
        if !subcommands.isEmpty, let sub = rest.first, !sub.hasPrefix("-") {
            guard subcommands.contains(sub) else { return path + rest }
            path.append(sub)
            rest = rest.dropFirst()
        }
        return path + globals + rest
    }

    /// The options as ArgumentParser leaves them when none is given, for commands read without it
    /// (`QuickArguments`): the property wrappers hold no value until one is set.
    static var unset: GlobalOptions {
        var options = GlobalOptions()
        options.dir = nil
        options.localConfig = defaultLocalConfig
        options.systemConfig = defaultSystemConfig
        options.userConfig = nil
        options.insecureOptions = defaultInsecureOptions
        options.trustKeysFromHttps = false
        options.debug = false
        return options
    }

    /// Sets the option `name` (one of `valued`, with its value, or of `flags`).
    mutating func set(_ name: String, _ value: String?) {
        switch name {
        case "--dir": dir = value
        case "--local-config": localConfig = value ?? localConfig
        case "--system-config": systemConfig = value ?? systemConfig
        case "--user-config": userConfig = value
        case "--insecure-options": insecureOptions = value ?? insecureOptions
        case "--debug": debug = true
        case "--trust-keys-from-https": trustKeysFromHttps = true
        default: preconditionFailure("\(name) is not a global option")
        }
    }

    func bootstrap() { StderrLogHandler.bootstrap(debug: debug) }

    var insecure: InsecureOptions {
        get throws { try InsecureOptions(parsing: insecureOptions) }
    }

    func config() throws -> RktConfig {
        try RktConfig.load(system: systemConfig, local: localConfig, user: userConfig)
    }

    /// The data directory: --dir, else paths.d, else /var/lib/rkt.
    func dataDirectory(_ config: RktConfig) -> String {
        dir ?? config.dataDirectory ?? "/var/lib/rkt"
    }

    func store() throws -> ImageStore {
        try ImageStore(dataDirectory: dataDirectory(try config()))
    }

    /// The data directory's pods (whose rendered trees and running images the store keeps).
    func podRegistry() throws -> PodRegistry {
        try PodRegistry(dataDirectory: dataDirectory(try config()))
    }

    var trustStore: TrustStore { TrustStore(localDirectory: localConfig, systemDirectory: systemConfig) }
}
