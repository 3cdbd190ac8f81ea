/// `[REGISTRY[:PORT]/]NAME[:TAG|@DIGEST]` as Docker reads it: a first component with a dot, a
/// colon or `localhost` is a registry (default `registry-1.docker.io`, where one-word names live
/// under `library/`), the tag defaults to `latest`.
public struct DockerReference: Sendable, Equatable, CustomStringConvertible {
    public var registry: String
    public var repository: String
    public var tag: String?
    public var digest: Digest?

    public static let defaultRegistry = "registry-1.docker.io"

    public init(_ text: String) throws {
        var rest = Substring(text)
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        var digest: Digest?
        if let at = rest.firstIndex(of: "@") {
            digest = try Digest(String(rest[rest.index(after: at)...]))
            rest = rest[..<at]
        }
        var tag: String?
        if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard !components.isEmpty, !components.contains(where: \.isEmpty) else {
            throw FetchError.invalidDockerURL(text)
        }
        if components.count > 1, components[0].contains(".") || components[0].contains(":") || components[0] == "localhost" {
            registry = components.removeFirst()
        } else {
            registry = Self.defaultRegistry
            if components.count == 1 { components.insert("library", at: 0) }
        }
        repository = components.joined(separator: "/")
        guard repository.allSatisfy({ $0.isLowercase || $0.isNumber || "._-/".contains($0) }) else {
            throw FetchError.invalidDockerName(repository)
        }
        if let tag, tag.isEmpty || tag.count > 128 { throw FetchError.invalidDockerTag(tag) }
        self.tag = tag ?? (digest == nil ? "latest" : nil)
        self.digest = digest
    }

    /// The tag or digest to ask the registry for.
    public var reference: String { digest?.description ?? tag ?? "latest" }

    public var description: String {
        "\(registry)/\(repository)" + (digest.map { "@\($0)" } ?? ":\(tag ?? "latest")")
    }
}
