/// appc meta-tag discovery: for `example.com/a/b`, fetch `https://example.com/a/b?ac-discovery=1`,
/// then `…/a`, then `example.com`, until a page names what is looked for; render the
/// `ac-discovery` URL templates with the name and labels, or collect `ac-discovery-pubkeys` URLs.
public struct Discovery: Sendable {
    /// How far security may be relaxed.
    public var insecureTLS: Bool
    /// Try plain http when https fails.
    public var allowHTTP: Bool
    /// A port to use instead of the scheme's default.
    public var port: Int?
    /// Request headers per host (credentials from `auth.d`).
    public var headers: @Sendable (String) -> [(name: String, value: String)]
    /// The minimum speed of the page requests.
    public var limits: TransferLimits
    /// When to stop walking: a page not fetched by then ends the walk with `HTTPError.deadlinePassed`.
    public var deadline: Deadline?

    public init(insecureTLS: Bool = false, allowHTTP: Bool = false, port: Int? = nil,
                headers: @escaping @Sendable (String) -> [(name: String, value: String)] = { _ in [] },
                limits: TransferLimits = .standard, deadline: Deadline? = nil) {
        self.insecureTLS = insecureTLS
        self.allowHTTP = allowHTTP
        self.port = port
        self.headers = headers
        self.limits = limits
        self.deadline = deadline
    }

    /// A prefix whose page could not be used, and why.
    public struct FailedAttempt: Sendable {
        public var prefix: String
        public var error: String
    }

    /// What a walk found, and the prefixes that failed along the way.
    public struct Result<Value: Sendable>: Sendable {
        public var value: Value
        public var failures: [FailedAttempt]
    }

    /// The image download URLs for `app` (`version` defaults to `latest`).
    public func endpoints(for app: AppString) throws -> Result<[DiscoveryEndpoint]> {
        var app = app
        app.setDefault("version", "latest")
        return try walk(app) { tags in
            tags.filter { $0.name == "ac-discovery" }.compactMap { Self.render($0.uri, for: app) }
        }
    }

    /// The public key URLs for `app`'s name.
    public func publicKeys(for app: AppString) throws -> Result<[String]> {
        try walk(app) { tags in tags.filter { $0.name == "ac-discovery-pubkeys" }.map(\.uri) }
    }

    /// The discovery page URL of one prefix.
    public func pageURL(_ prefix: String, scheme: String) -> String {
        let host = prefix.prefix { $0 != "/" }
        let path = prefix.dropFirst(host.count)
        return "\(scheme)://\(host)\(port.map { ":\($0)" } ?? "")\(path)?ac-discovery=1"
    }

    private func walk<T>(_ app: AppString, extract: ([MetaTag]) -> [T]) throws -> Result<[T]> {
        var failures: [FailedAttempt] = []
        let parts = app.name.value.split(separator: "/")
        for end in stride(from: parts.count, through: 1, by: -1) {
            let prefix = parts[..<end].joined(separator: "/")
            if let deadline, deadline.hasPassed { throw HTTPError.deadlinePassed(url: pageURL(prefix, scheme: "https"), seconds: deadline.seconds) }
            do {
                let tags = try fetchTags(prefix).filter { app.name.value.hasPrefix($0.prefix) }
                let found = extract(tags)
                if !found.isEmpty { return Result(value: found, failures: failures) }
            } catch {
                // The deadline and a signal end the walk; other failures move on to the next prefix.
                if error is Interrupted || (error as? HTTPError)?.isDeadline == true { throw error }
                failures.append(FailedAttempt(prefix: prefix, error: "\(error)"))
            }
        }
        throw DiscoveryError.nothingFound(app: app.description, failures: failures)
    }

    private func fetchTags(_ prefix: String) throws -> [MetaTag] {
        let host = String(prefix.prefix { $0 != "/" })
        var lastError: Error?
        for scheme in allowHTTP ? ["https", "http"] : ["https"] {
            let url = pageURL(prefix, scheme: scheme)
            do {
                let response = try HTTPClient.get(HTTPRequest(url: url, headers: headers(host), insecureTLS: insecureTLS,
                                                             allowHTTPDowngrade: allowHTTP, limits: limits, deadline: deadline))
                guard response.status == 200 else {
                    lastError = HTTPError.failed(url: url, reason: "expected a 200 OK got \(response.status)")
                    continue
                }
                return MetaTag.parse(response.body)
            } catch let error as HTTPError where !error.isDeadline {
                lastError = error
            }
        }
        throw lastError!
    }

    /// Renders a template for `{ext}` = `aci` and `aci.asc`; nil when a placeholder is left over.
    static func render(_ template: String, for app: AppString) -> DiscoveryEndpoint? {
        var uri = template.replacingAll("{name}", with: app.name.value)
        for label in app.labels { uri = uri.replacingAll("{\(label.name)}", with: label.value) }
        let aci = uri.replacingAll("{ext}", with: "aci")
        let asc = uri.replacingAll("{ext}", with: "aci.asc")
        let leftover = { (text: String) in text.contains("{") && text[text.firstIndex(of: "{")!...].contains("}") }
        if leftover(aci) || leftover(asc) { return nil }
        return DiscoveryEndpoint(aci: aci, asc: asc)
    }
}

extension String {
    /// Every occurrence of `target` replaced.
    public func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
