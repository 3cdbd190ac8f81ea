import Glibc

/// `rkt-trust add` and `rkt trust` (the same code): reviews and stores keys for a prefix or root.
public struct TrustAdd: ParsableArguments {
    @Option(help: "Trust the keys for images whose names start with this prefix (example.com/app).") public var prefix: String?
    @Flag(help: "Trust the keys for every image (root keys).") public var root = false
    @Flag(help: "Accept the keys without asking to review their fingerprints.") public var skipFingerprintReview = false
    @Flag(help: "Allow fetching keys over plain http.") public var insecureAllowHttp = false
    @Argument(help: "Keys: files or https URLs; none to discover them for --prefix.") public var keys: [String] = []

    public init() {}

    public func validate() throws {
        if prefix != nil && root { throw ValidationError("--root and --prefix usage mutually exclusive") }
        if prefix == nil && !root {
            throw ValidationError(keys.isEmpty ? "give --prefix PREFIX or --root" : "aborting due to implicit unbounded trust (root domain); use --prefix PREFIX, or --root to trust a key for every image")
        }
        if root && keys.isEmpty { throw ValidationError("--root needs an explicit key") }
    }

    /// Fetches, reviews and stores the keys; `autoAcceptHTTPS` trusts https keys without review.
    public func run(store: TrustStore, autoAcceptHTTPS: Bool = false) throws {
        let scope: TrustScope = try prefix.map(TrustScope.prefix(parsing:)) ?? .root
        let fetcher = KeyFetcher(allowHTTP: insecureAllowHttp, limits: try TransferLimits.fromEnvironment())
        var locations = keys
        let discovered = locations.isEmpty
        if discovered, case .prefix(let name) = scope {
            locations = try fetcher.discover(prefix: name)
        }
        var refused = 0
        for location in locations {
            let bytes = try discovered ? fetcher.fetchDiscovered(location) : fetcher.fetch(location)
            let (key, _) = try TrustStore.inspect(bytes)
            if let warning = KeyFetcher.unusable(key) { Console.error("\(warning) (\(location))") }
            let reviewed = try review(key, location: location, scope: scope,
                                      skip: skipFingerprintReview || (autoAcceptHTTPS && location.lowercased().hasPrefix("https://")))
            guard reviewed else {
                Console.error("Not trusting \(quoted(location))")
                refused += 1
                continue
            }
            let (path, _) = try store.add(bytes, scope: scope)
            switch scope {
            case .root: Console.out("Added root key at \(quoted(path))")
            case .prefix(let name): Console.out("Added key for prefix \(quoted(name.value)) at \(quoted(path))")
            }
        }
        if refused == locations.count { throw TrustError.noKeyTrusted }
    }

    /// Shows the key and asks; false when the user says no.
    private func review(_ key: PublicKey, location: String, scope: TrustScope, skip: Bool) throws -> Bool {
        let subject = scope == .root ? "as a root key" : "for prefix \(quoted(scope.description))"
        if skip {
            Console.error("Trusting \(quoted(location)) \(subject) without fingerprint review.")
            return true
        }
        guard Console.isTerminal(STDIN_FILENO) else {
            throw TrustError.reviewImpossible
        }
        Console.error("prefix: \(quoted(scope.description))\nkey: \(quoted(location))")
        Console.out("gpg key fingerprint is: \(key.groupedFingerprint)")
        for subkey in key.subkeyFingerprints { Console.out("    Subkey fingerprint: \(subkey.uppercased())") }
        for userID in key.userIDs { Console.out("\t\(userID)") }
        while true {
            Console.prompt("Are you sure you want to trust this key (yes/no)? ")
            guard let answer = readLine() else { return false }
            switch answer.trimmingSpacesAndNewlines() {
            case "yes":
                Console.error("Trusting \(quoted(location)) \(subject) after fingerprint review.")
                return true
            case "no": return false
            default: Console.out("Please enter 'yes' or 'no'")
            }
        }
    }
}

extension String {
    func trimmingSpacesAndNewlines() -> String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text = text.dropFirst() }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return String(text)
    }
}
