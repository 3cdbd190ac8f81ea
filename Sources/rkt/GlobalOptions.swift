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

    /// Options that take a value, for moving them after the command.
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

    /// The global options at the head of `arguments`, read without ArgumentParser, and what follows
    /// them. ArgumentParser finds a command's options by reflection, ~3 ms at each start (`rkt run`
    /// takes ~22 ms); a command that captures everything after its options can use this instead.
    /// Nil for anything not read exactly as ArgumentParser reads it (a missing value, a flag given
    /// a value): ArgumentParser then parses and reports. A test holds both readings equal.
    static func leading(_ arguments: ArraySlice<String>) -> (options: GlobalOptions, rest: ArraySlice<String>)? {
        // The property wrappers hold no value until parsed: each one is set.
        var options = GlobalOptions()
        options.dir = nil
        options.localConfig = defaultLocalConfig
        options.systemConfig = defaultSystemConfig
        options.userConfig = nil
        options.insecureOptions = defaultInsecureOptions
        options.trustKeysFromHttps = false
        options.debug = false
        var rest = arguments
        while let first = rest.first, first.hasPrefix("--") {
            let name = String(first.prefix { $0 != "=" })
            let inline = name.count < first.count ? String(first.dropFirst(name.count + 1)) : nil
            if flags.contains(name) {
                guard inline == nil else { return nil }
                if name == "--debug" { options.debug = true } else { options.trustKeysFromHttps = true }
                rest = rest.dropFirst()
                continue
            }
            guard valued.contains(name) else { break }
            let value: String
            if let inline {
                guard !inline.isEmpty else { return nil } // ArgumentParser takes `--dir= X` as `--dir X`
                value = inline
                rest = rest.dropFirst()
            } else {
                guard let next = rest.dropFirst().first, !next.hasPrefix("-") else { return nil }
                value = next
                rest = rest.dropFirst(2)
            }
            switch name {
            case "--dir": options.dir = value
            case "--local-config": options.localConfig = value
            case "--system-config": options.systemConfig = value
            case "--user-config": options.userConfig = value
            default: options.insecureOptions = value
            }
        }
        return (options, rest)
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
