import Glibc

/// A docker registry (API v2) client: manifests (schema 2, OCI, lists and indexes, chosen by
/// platform), blobs checked against their digests, and token or basic authentication. It copies
/// one image into an OCI layout directory.
struct DockerRegistryClient {
    let reference: DockerReference
    let insecure: InsecureOptions
    let credentials: (user: String, password: String)?
    let limits: TransferLimits
    private var token: String?

    init(reference: DockerReference, insecure: InsecureOptions, credentials: (user: String, password: String)?, limits: TransferLimits) {
        self.reference = reference
        self.insecure = insecure
        self.credentials = credentials
        self.limits = limits
    }

    private var base: String { "\(insecure.contains(.http) ? "http" : "https")://\(reference.registry)/v2/\(reference.repository)" }

    private static let accepted = [MediaType.imageIndex, MediaType.dockerManifestList, MediaType.imageManifest, MediaType.dockerManifest]

    /// Copies the image for `platform` into a new OCI layout at `directory` (tagged with the tag);
    /// returns the manifest digest.
    mutating func copy(to directory: String, platform: Platform) throws -> Digest {
        let layout = try OCILayoutWriter(directory: directory)
        var (bytes, mediaType) = try manifest(reference.reference)
        if let expected = reference.digest, Digest.sha256(bytes) != expected {
            throw ContentMismatchError.otherDigest(name: "manifest of \(reference)", actual: "\(Digest.sha256(bytes))", expected: "\(expected)")
        }
        for _ in 0..<4 where MediaType.isIndex(mediaType) {
            let index: OCIIndex
            do { index = try OCIIndex.decode(bytes) } catch { throw RegistryError.invalidManifestList(reference: reference, cause: error) }
            guard let chosen = index.manifests.first(where: { $0.platform?.matches(platform) ?? false }) else {
                throw RegistryError.noImageForPlatform(reference: reference, platform: platform,
                                                       available: index.manifests.compactMap { $0.platform?.description })
            }
            (bytes, mediaType) = try manifest(chosen.digest.description)
            guard Digest.sha256(bytes) == chosen.digest else {
                throw ContentMismatchError.notItsDigest(name: "manifest \(chosen.digest) of \(reference)")
            }
        }
        guard MediaType.isManifest(mediaType) else { throw RegistryError.unsupportedManifest(reference: reference, mediaType: mediaType) }
        let manifest: OCIManifest
        do { manifest = try OCIManifest.decode(bytes) } catch { throw RegistryError.invalidManifest(reference: reference, cause: error) }
        try checkSizes(manifest)
        for descriptor in [manifest.config] + manifest.layers {
            try blob(descriptor, into: "\(directory)/blobs/\(descriptor.digest.algorithm)/\(descriptor.digest.encoded)")
        }
        var descriptor = try layout.writeBlob(bytes, mediaType: mediaType)
        descriptor.annotations[Descriptor.refNameAnnotation] = reference.tag ?? "latest"
        try layout.writeIndex([descriptor])
        return descriptor.digest
    }

    /// Refuses, before any blob is asked for, a config larger than a config may be and layers
    /// larger than the maximum image size (one by one and together): a blob is then held to its
    /// descriptor's size while it streams.
    private func checkSizes(_ manifest: OCIManifest) throws {
        for descriptor in [manifest.config] + manifest.layers where descriptor.size < 0 {
            throw RegistryError.invalidSize(digest: descriptor.digest.description, size: descriptor.size)
        }
        let configLimit = Int64(OCILayout.maximumDocumentSize)
        guard manifest.config.size <= configLimit else {
            throw RegistryError.configTooLarge(digest: manifest.config.digest.description, size: manifest.config.size, limit: configLimit)
        }
        var total: Int64 = 0
        for layer in manifest.layers {
            guard layer.size <= limits.maximumImageSize else {
                throw RegistryError.imageTooLarge(reference: reference.description, what: "layer \(layer.digest)", size: layer.size,
                                                  limit: limits.maximumImageSize)
            }
            total += layer.size
        }
        guard total <= limits.maximumImageSize else {
            throw RegistryError.imageTooLarge(reference: reference.description, what: "the image (\(manifest.layers.count) layers)",
                                              size: total, limit: limits.maximumImageSize)
        }
    }

    private mutating func manifest(_ ref: String) throws -> ([UInt8], String) {
        let response = try get("\(base)/manifests/\(ref)", accept: Self.accepted, limit: OCILayout.maximumDocumentSize)
        guard response.status == 200 else {
            throw RegistryError.manifestStatus(reference: reference, manifest: ref, status: response.status,
                                               body: String(decoding: response.body.prefix(200), as: UTF8.self))
        }
        var mediaType = response.header("Content-Type")?.split(separator: ";").first.map { String($0).trimmingSpaces() } ?? ""
        if !MediaType.isIndex(mediaType) && !MediaType.isManifest(mediaType) {
            // Some registries send a generic type: trust the document's own mediaType.
            mediaType = (try? JSONObjectReader(JSONParser.parse(response.body)).string("mediaType")).flatMap { $0 } ?? MediaType.imageManifest
        }
        return (response.body, mediaType)
    }

    private mutating func blob(_ descriptor: Descriptor, into path: String) throws {
        guard let algorithm = descriptor.digest.verifiableAlgorithm else {
            throw RegistryError.unsupportedDigest(descriptor.digest)
        }
        try FileIO.makeDirectories(String(path[..<path.lastIndex(of: "/")!]))
        let output = try AtomicOutput(path: path, overwrite: true)
        let hasher = HashingSink(downstream: FileSink(fileDescriptor: output.fileDescriptor, name: path), algorithm: algorithm)
        let bounded = BoundedSink(downstream: hasher, limit: descriptor.size) {
            ContentMismatchError.tooLarge(name: "blob \(descriptor.digest)", promised: descriptor.size)
        }
        let response = try authorized("\(base)/blobs/\(descriptor.digest)", bodyLimit: .image(limits.maximumImageSize)) { request in
            try HTTPClient.download(request, to: bounded)
        }
        guard response.status == 200 else { throw RegistryError.blobStatus(digest: descriptor.digest, status: response.status) }
        guard hasher.count == descriptor.size else {
            throw ContentMismatchError.sizeMismatch(name: "blob \(descriptor.digest)", actual: hasher.count, promised: descriptor.size)
        }
        guard hasher.digest().encoded == descriptor.digest.encoded else {
            throw ContentMismatchError.notItsDigest(name: "blob \(descriptor.digest)")
        }
        try output.commit()
    }

    private mutating func get(_ url: String, accept: [String], limit: Int) throws -> HTTPResponse {
        try authorized(url, accept: accept, bodyLimit: .document(Int64(limit))) { try HTTPClient.get($0) }
    }

    /// Runs a request; on a 401 with a Bearer or Basic challenge, authenticates and runs it again.
    private mutating func authorized(_ url: String, accept: [String] = [], bodyLimit: HTTPRequest.BodyLimit,
                                     _ perform: (HTTPRequest) throws -> HTTPResponse) throws -> HTTPResponse {
        func request() -> HTTPRequest {
            var headers: [(name: String, value: String)] = accept.isEmpty ? [] : [("Accept", accept.joined(separator: ", "))]
            if let token { headers.append(("Authorization", token)) }
            return HTTPRequest(url: url, headers: headers, insecureTLS: insecure.contains(.tls),
                               allowHTTPDowngrade: insecure.contains(.http), bodyLimit: bodyLimit, limits: limits)
        }
        let response = try perform(request())
        guard response.status == 401, let challenge = response.header("WWW-Authenticate") else { return response }
        token = try authenticate(challenge)
        return try perform(request())
    }

    private func authenticate(_ challenge: String) throws -> String {
        let basic = credentials.map { "Basic " + Base64.encode(Array("\($0.user):\($0.password)".utf8)) }
        if challenge.lowercased().hasPrefix("basic") {
            guard let basic else { throw RegistryError.credentialsRequired(registry: reference.registry) }
            return basic
        }
        guard challenge.lowercased().hasPrefix("bearer") else { throw RegistryError.unsupportedChallenge(challenge) }
        let parameters = Self.challengeParameters(String(challenge.dropFirst("bearer".count)))
        guard let realm = parameters["realm"] else { throw RegistryError.challengeWithoutRealm(challenge) }
        // Like a redirect, a realm may not take the credentials from https down to plain http.
        let scheme = realm.lowercased()
        guard scheme.hasPrefix("https://") || (scheme.hasPrefix("http://") && insecure.contains(.http)) else {
            throw RegistryError.insecureRealm(registry: reference.registry, realm: realm)
        }
        var query: [String] = []
        if let service = parameters["service"] { query.append("service=\(Self.escape(service))") }
        query.append("scope=\(Self.escape(parameters["scope"] ?? "repository:\(reference.repository):pull"))")
        let url = realm + (realm.contains("?") ? "&" : "?") + query.joined(separator: "&")
        let response = try HTTPClient.get(HTTPRequest(url: url, headers: basic.map { [("Authorization", $0)] } ?? [],
                                                      insecureTLS: insecure.contains(.tls), allowHTTPDowngrade: insecure.contains(.http),
                                                      limits: limits))
        guard response.status == 200 else { throw RegistryError.tokenStatus(realm: realm, status: response.status) }
        let reader = try JSONObjectReader(try JSONParser.parse(response.body))
        guard let token = try reader.string("token") ?? reader.string("access_token") else {
            throw RegistryError.noToken(realm: realm)
        }
        return "Bearer \(token)"
    }

    /// `realm="…",service="…",scope="…"`.
    static func challengeParameters(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        var rest = Substring(text)
        while let equals = rest.firstIndex(of: "=") {
            let key = rest[..<equals].trimmingCharacters().trimmingLeading(",").lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                let end = rest.firstIndex(of: "\"") ?? rest.endIndex
                value = String(rest[..<end])
                rest = end < rest.endIndex ? rest[rest.index(after: end)...] : rest[end...]
            } else {
                let end = rest.firstIndex(of: ",") ?? rest.endIndex
                value = String(rest[..<end])
                rest = rest[end...]
            }
            result[key] = value
        }
        return result
    }

    static func escape(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            if byte.isASCIILetter || byte.isASCIIDigit || "-._~:/".utf8.contains(byte) {
                result.append(Character(UnicodeScalar(byte)))
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

extension String {
    func trimmingLeading(_ character: Character) -> String {
        String(drop { $0 == character }).trimmingSpaces()
    }
}
