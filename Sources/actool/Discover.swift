import CLISupport

struct Discover: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Discover the download URLs (and signing keys) of app container images.",
        discussion: """
        Runs appc meta-tag discovery for each APP: https://NAME?ac-discovery=1, then each parent prefix. \
        os and arch default to the host's, version to latest. A custom CA is taken from SSL_CERT_FILE. \
        Prefixes that failed are listed on standard error; the results go to standard output.
        """
    )

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(help: "Port to connect to instead of 443 (or 80).") var port: Int?
    @Flag(help: "Do not check TLS certificates, and fall back to plain http.") var insecure = false
    @Argument(help: "App names: name[:version][,label=value…]") var apps: [String]

    func validate() throws {
        if apps.isEmpty { throw ValidationError("at least one name required") }
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be from 1 to 65535") }
    }

    func run() throws {
        global.bootstrap()
        let discovery = Discovery(insecureTLS: insecure, allowHTTP: insecure, port: port)
        for name in apps {
            var app: AppString
            do {
                app = try AppString(parsing: name)
            } catch {
                throw CommandFailure.message("\(name): \(error)")
            }
            app.setDefault("os", OSArch.host.os)
            app.setDefault("arch", OSArch.host.arch)
            let endpoints: Discovery.Result<[DiscoveryEndpoint]>
            do {
                endpoints = try discovery.endpoints(for: app)
            } catch {
                throw CommandFailure.message("error fetching endpoints for \(name): \(error)")
            }
            for failure in endpoints.failures {
                Console.error("discover endpoints walk: prefix: \(failure.prefix) error: \(failure.error)")
            }
            var keys: [String] = []
            do {
                let found = try discovery.publicKeys(for: app)
                for failure in found.failures {
                    Console.error("discover public keys walk: prefix: \(failure.prefix) error: \(failure.error)")
                }
                keys = found.value
            } catch {
                Console.error("no public keys found for \(name): \(error)")
            }
            if json {
                let document = JSONValue.object([
                    "ACIEndpoints": .array(endpoints.value.map { .object(["ACI": .string($0.aci), "ASC": .string($0.asc)]) }),
                    "PublicKeys": keys.isEmpty ? .null : .array(keys.map(JSONValue.string)),
                ])
                Console.out(bytes: JSONWriter.indented(document) + [0x0A])
            } else {
                for endpoint in endpoints.value { Console.out("ACI: \(endpoint.aci), ASC: \(endpoint.asc)") }
                if !keys.isEmpty { Console.out("PublicKeys: " + keys.joined(separator: ",")) }
            }
        }
    }
}
