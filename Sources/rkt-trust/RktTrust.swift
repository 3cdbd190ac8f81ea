import CLISupport

/// `rkt-trust`: manages which keys may sign which image-name prefixes (rkt's trust store).
@main
struct RktTrust: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rkt-trust",
        abstract: "Manage the trust store: which keys may sign which image-name prefixes.",
        discussion: """
        Keys are armored OpenPGP public keys in LOCAL/trustedkeys/prefix.d/PREFIX/FINGERPRINT and \
        .../root.d/FINGERPRINT (LOCAL defaults to /etc/rkt); SYSTEM (/usr/lib/rkt) holds vendor keys, \
        which an empty local file masks. Exit status: 0 success, 1 failure, 2 usage error.
        """,
        subcommands: [Add.self, List.self, Remove.self, Version.self]
    )

    static func main() {
        ToolRunner.run(RktTrust.self, arguments: Array(CommandLine.arguments.dropFirst()), codes: .init(failure: 1, usage: 2))
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Trust keys for a prefix (or as root keys).",
            discussion: """
            KEY is a file or an https URL; with no KEY the keys are discovered from the prefix's \
            ac-discovery-pubkeys meta tags. Each key's fingerprint is shown for review on a terminal; \
            without a terminal --skip-fingerprint-review is required.
            """
        )
        @OptionGroup var store: TrustStoreOptions
        @OptionGroup var add: TrustAdd

        func run() throws { try add.run(store: store.store) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the trusted keys.")
        @OptionGroup var store: TrustStoreOptions
        @Option(help: "Only the keys of this prefix.") var prefix: String?
        @Flag(help: "Only the root keys.") var root = false
        @Option(help: "Output format: table or json.") var format: OutputFormat = .table

        func run() throws {
            let scope: TrustScope? = root ? .root : try prefix.map(TrustScope.prefix(parsing:))
            let files = try store.store.list(scope: scope)
            let rows = try files.map { file in (file, try TrustStore.inspect(file.contents).key) }
            switch format {
            case .json:
                let items: [JSONValue] = rows.map { file, key in
                    let scopeMember: (String, JSONValue) = file.scope == .root ? ("root", .bool(true)) : ("prefix", .string(file.scope.description))
                    return .object([JSONMember(key: scopeMember.0, value: scopeMember.1)] + JSONValue.members([
                        "fingerprint": .string(key.fingerprint),
                        "userIDs": .array(key.userIDs.map(JSONValue.string)),
                        "expires": key.expires.map { .string(Timestamp.rfc3339($0)) } ?? .null,
                        "file": .string(file.path), "layer": .string(file.layer.rawValue),
                    ]))
                }
                Console.out(bytes: JSONWriter.indented(.array(items)) + [0x0A])
            case .table:
                var table = TextTable(header: ["PREFIX", "FINGERPRINT", "USER IDS", "EXPIRES", "LAYER", "FILE"])
                for (file, key) in rows {
                    table.add([file.scope == .root ? "(root)" : file.scope.description, key.fingerprint,
                               key.userIDs.joined(separator: "; "), key.expires.map(Timestamp.rfc3339) ?? "never",
                               file.layer.rawValue, file.path])
                }
                Console.out(table.render(), terminator: "")
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Stop trusting a key.",
            discussion: "Deletes the local key file; a key of the system layer is masked by an empty local file."
        )
        @OptionGroup var store: TrustStoreOptions
        @Option(help: "The prefix the key is trusted for.") var prefix: String?
        @Flag(help: "The key is a root key.") var root = false
        @Argument(help: "The key's fingerprint (40 hex digits).") var fingerprint: String

        func validate() throws {
            if (prefix == nil) == !root { throw ValidationError("give exactly one of --prefix PREFIX and --root") }
        }

        func run() throws {
            let scope: TrustScope = root ? .root : try TrustScope.prefix(parsing: prefix!)
            for removal in try store.store.remove(fingerprint: fingerprint, scope: scope) {
                switch removal {
                case .deleted(let path): Console.out("Removed key \(path)")
                case .masked(let path): Console.out("Masked system key with \(path)")
                }
            }
        }
    }

    struct Version: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "version", abstract: "Print the version.")
        func run() { Console.out("rkt-trust version \(SuiteVersion.current)") }
    }
}
