import Glibc
import Logging

/// Brings images into the store, verified: from files, http(s) URLs, appc names (discovery),
/// docker registries and OCI layouts. A signature is checked against the trust store for the
/// image's name before the image becomes visible; dependencies are fetched the same way.
public struct ImageFetcher {
    public var store: ImageStore
    public var trustStore: TrustStore
    public var config: RktConfig
    public var insecure: InsecureOptions
    public var pullPolicy: PullPolicy
    /// Trust keys discovered over https for a name without asking (rkt's TOFU).
    public var trustKeysFromHTTPS: Bool
    /// Render fetched images into the tree store right away.
    public var render: Bool
    /// How much, how slowly and for how long servers may answer.
    public var limits: TransferLimits

    private let log = Logger(label: "image")

    public init(store: ImageStore, trustStore: TrustStore, config: RktConfig, insecure: InsecureOptions,
                pullPolicy: PullPolicy, trustKeysFromHTTPS: Bool = false, render: Bool = true, limits: TransferLimits = .standard) {
        self.store = store
        self.trustStore = trustStore
        self.config = config
        self.insecure = insecure
        self.pullPolicy = pullPolicy
        self.trustKeysFromHTTPS = trustKeysFromHTTPS
        self.render = render
        self.limits = limits
    }

    private var verifying: Bool { !insecure.contains(.image) }

    private var downloader: Downloader {
        Downloader(temporaryDirectory: store.temporaryDirectory, config: config, insecure: insecure, limits: limits,
                   showProgress: Console.isTerminal(STDERR_FILENO))
    }

    /// Fetches one image (`signature` overrides where its signature comes from) and its dependencies.
    @discardableResult
    public func fetch(_ argument: String, signature: String? = nil) throws -> ImageRecord {
        try Interruption.check()
        let record: ImageRecord
        switch try ImageLocation(argument) {
        case .imageID(let id): record = try store.resolve(id)
        case .file(let path): record = try fetchFile(path, signature: signature)
        case .url(let url): record = try fetchURL(url, signature: signature, expected: nil, deadline: Deadline(seconds: limits.deadline))
        case .name(let name): record = try fetchName(try AppString(parsing: name))
        case .docker(let reference): record = try ContainerImageFetcher(fetcher: self).fetchDocker(reference, signature: signature)
        case .oci(let location): record = try ContainerImageFetcher(fetcher: self).fetchOCI(location, signature: signature)
        }
        try fetchDependencies(of: record, depth: 0)
        if render && geteuid() == 0 { try store.render(record) }
        return record
    }

    private func fetchFile(_ path: String, signature: String?) throws -> ImageRecord {
        log.debug("using image from file \(ArchivePath.clean(path.hasPrefix("/") ? path : Self.currentDirectory() + "/" + path))")
        let signatureBytes: [UInt8]?
        if verifying {
            let signaturePath = signature ?? Self.signaturePath(for: path)
            do {
                signatureBytes = try FileIO.readFile(signaturePath, limit: 1 << 20)
            } catch {
                throw FetchError.signatureUnreadable(path: signaturePath, cause: error)
            }
        } else {
            signatureBytes = nil
        }
        let input = try InputFile(path: path)
        return try store.importImage(input) { manifest in
            if let signatureBytes {
                try SignatureCheck(trustStore: trustStore).verify(file: path, signature: signatureBytes, name: manifest.name)
            }
        }
    }

    /// `app.aci` → `app.aci.asc`; other names get `.asc` appended too.
    static func signaturePath(for path: String) -> String { path + ".asc" }

    /// The signature URL of an image URL: `.asc` after the path, the query kept.
    static func signatureURL(for url: String) -> String {
        if let query = url.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            return String(url[..<query]) + ".asc" + String(url[query...])
        }
        return url + ".asc"
    }

    /// An http(s) image: cached by URL (Cache-Control, ETag), resumable, signature at URL.asc.
    /// With `expected`, the manifest must have that name and labels (names found by discovery).
    /// The server must have begun to answer by `deadline`.
    func fetchURL(_ url: String, signature: String?, expected: AppString?, signatureURL givenSignatureURL: String? = nil,
                  deadline: Deadline) throws -> ImageRecord {
        if let stored = try storedCopy(of: url, expected) { return stored }
        if url.lowercased().hasPrefix("http://") && expected != nil && !insecure.contains(.http) {
            throw FetchError.plainHTTP(url: url)
        }
        let signatureURL = givenSignatureURL ?? Self.signatureURL(for: url)
        var signatureBytes: [UInt8]?
        var deferred = false
        if verifying, signature == nil {
            let response = try downloader.get(signatureURL, deadline: deadline)
            switch response.status {
            case 200:
                signatureBytes = response.body
                if let expected { try SignatureCheck(trustStore: trustStore).checkSigner(signature: response.body, name: expected.name) }
            case 202:
                log.info("server requested deferring the signature download")
                deferred = true
            default:
                throw FetchError.signatureStatus(url: signatureURL, status: response.status)
            }
        } else if let signature {
            signatureBytes = try FileIO.readFile(signature, limit: 1 << 20)
        }
        log.debug("remote fetching from URL \(quoted(url))")
        let part = try downloader.claim(url)
        // Until here on every way out: a part that can be resumed is kept, anything else removed.
        defer { part.release(url: url) }
        // Another fetch had the download: it may have stored the image meanwhile.
        if part.waited, let stored = try storedCopy(of: url, expected) { return stored }
        let remote = try store.remote(url)
        let stored = try remote.flatMap { try store.image(key: $0.blobKey) }
        let result = try downloader.download(url, into: part, ifNoneMatch: stored == nil ? nil : remote?.etag, deadline: deadline)
        if result.status == 304, let stored, var remote {
            remote.downloadTime = WallClock.nanoseconds()
            try store.saveRemote(remote)
            log.info("image for \(url) has not changed, using the stored copy")
            part.remove()
            return try checked(stored, expected)
        }
        guard result.status == 200 || result.status == 206 else {
            throw FetchError.downloadStatus(url: url, status: result.status)
        }
        if deferred { signatureBytes = try deferredSignature(signatureURL, deadline: deadline) }
        let record: ImageRecord
        do {
            let input = try InputFile(path: result.path, displayName: url)
            record = try store.importImage(input, latest: expected.map { $0["version"] == nil } ?? false) { manifest in
                if let expected { try Self.check(manifest, matches: expected) }
                if let signatureBytes {
                    try SignatureCheck(trustStore: trustStore).verify(file: result.path, signature: signatureBytes, name: manifest.name)
                }
            }
        } catch {
            // The download finished: what it brought is refused, so it is not resumed either.
            part.remove()
            throw error
        }
        part.remove()
        try store.saveRemote(RemoteRecord(url: url, signatureURL: signatureURL, etag: result.etag, blobKey: record.key,
                                          cacheMaxAge: result.maxAge, downloadTime: WallClock.nanoseconds()))
        return record
    }

    /// The stored image for `url` if the pull policy says to use it without asking the server
    /// (with `update`, while its Cache-Control max-age lasts); nil when the server is to be asked.
    private func storedCopy(of url: String, _ expected: AppString?) throws -> ImageRecord? {
        let remote = try store.remote(url)
        guard let stored = try remote.flatMap({ try store.image(key: $0.blobKey) }) else {
            if pullPolicy == .never { throw FetchError.urlNotStored(url: url) }
            return nil
        }
        switch pullPolicy {
        case .never, .new:
            log.debug("using image from local store for \(url)")
            return try checked(stored, expected)
        case .update:
            if let remote, remote.cacheMaxAge > 0, remote.downloadTime + remote.cacheMaxAge * 1_000_000_000 > WallClock.nanoseconds() {
                log.info("image for \(url) isn't expired, not fetching.")
                return try checked(stored, expected)
            }
            return nil
        }
    }

    /// A stored image reused for a URL, checked against the name and labels asked for.
    private func checked(_ stored: ImageRecord, _ expected: AppString?) throws -> ImageRecord {
        if let expected { try Self.check(try stored.decodedManifest(), matches: expected) }
        return stored
    }

    /// A deferred signature (HTTP 202, as Quay answers before it has signed): asked again a few times.
    private func deferredSignature(_ url: String, deadline: Deadline) throws -> [UInt8] {
        let attempts = 10
        for attempt in 0..<attempts {
            try Interruption.check()
            let response = try downloader.get(url, deadline: deadline)
            if response.status == 200 { return response.body }
            guard response.status == 202 else {
                throw FetchError.signatureStatus(url: url, status: response.status)
            }
            usleep(useconds_t(200_000 * (attempt + 1)))
        }
        throw FetchError.signatureDeferred(url: url, attempts: attempts)
    }

    /// An appc name: the store first (by pull policy), then discovery over https.
    func fetchName(_ requested: AppString) throws -> ImageRecord {
        var app = requested
        app.setDefault("os", OSArch.host.os)
        app.setDefault("arch", OSArch.host.arch)
        if pullPolicy != .update, let stored = try store.find(app) {
            log.debug("using image from local store for image name \(requested)")
            return stored
        }
        if pullPolicy == .never {
            throw FetchError.nameNotStored(requested)
        }
        // One deadline for all of the name's endpoints: its discovery pages, keys, image URLs.
        let deadline = Deadline(seconds: limits.deadline)
        let discovery = Discovery(insecureTLS: insecure.contains(.tls), allowHTTP: insecure.contains(.http),
                                  headers: { [config] host in config.header(for: host) }, limits: limits, deadline: deadline)
        if verifying { try trustDiscoveredKeys(for: app, discovery: discovery, deadline: deadline) }
        let endpoints: Discovery.Result<[DiscoveryEndpoint]>
        do {
            endpoints = try discovery.endpoints(for: app)
        } catch let error as HTTPError {
            throw error
        } catch {
            throw FetchError.discovery(name: requested, cause: error)
        }
        var failures: [(url: String, cause: any Error)] = []
        for endpoint in endpoints.value {
            if deadline.hasPassed { throw HTTPError.deadlinePassed(url: endpoint.aci, seconds: deadline.seconds) }
            do {
                return try fetchURL(endpoint.aci, signature: nil, expected: app, signatureURL: endpoint.asc, deadline: deadline)
            } catch {
                // The deadline and a signal end the whole list; other failures move on to the next endpoint.
                if error is Interrupted || (error as? HTTPError)?.isDeadline == true { throw error }
                failures.append((endpoint.aci, error))
            }
        }
        throw FetchError.endpoints(name: requested, failures: failures)
    }

    /// rkt's trust on first use: when no prefix key is trusted for the name, discover its keys and,
    /// with --trust-keys-from-https, trust those served over https.
    private func trustDiscoveredKeys(for app: AppString, discovery: Discovery, deadline: Deadline) throws {
        guard try !trustStore.hasPrefixKeys(for: app.name) else {
            log.debug("keys already exist for prefix \(quoted(app.name.value)), not fetching again")
            return
        }
        guard trustKeysFromHTTPS else { return }
        guard let keys = try? discovery.publicKeys(for: AppString(name: app.name)).value else { return }
        for url in keys {
            do {
                try KeyFetcher.checkDiscovered(url)
                if url.lowercased().hasPrefix("http://") && !insecure.contains(.pubkey) { continue }
                let response = try downloader.get(url, deadline: deadline)
                guard response.status == 200 else { continue }
                let (path, key) = try trustStore.add(response.body, scope: .prefix(app.name))
                if let warning = KeyFetcher.unusable(key) { log.warning("\(warning)") }
                log.info("Trusting \(quoted(url)) for prefix \(quoted(app.name.value)) without fingerprint review.")
                log.info("Added key \(key.groupedFingerprint) for prefix \(quoted(app.name.value)) at \(quoted(path))")
            } catch {
                log.warning("could not trust key \(url): \(error)")
            }
        }
    }

    /// The fetched manifest must be the image that was asked for.
    static func check(_ manifest: ImageManifest, matches app: AppString) throws {
        guard manifest.name == app.name else {
            throw FetchError.otherName(found: manifest.name, requested: app.name)
        }
        for label in app.labels {
            guard let value = manifest.labels[label.name.value] else {
                if label.name.value == "version" && label.value == "latest" { continue }
                throw FetchError.missingLabel(label.name)
            }
            if value != label.value && !(label.name.value == "version" && label.value == "latest") {
                throw FetchError.otherLabelValue(label: label.name, requested: label.value, found: value)
            }
        }
    }

    /// Fetches missing dependencies (by name and labels, through discovery), recursively.
    private func fetchDependencies(of record: ImageRecord, depth: Int) throws {
        let limit = 16
        guard depth < limit else { throw FetchError.dependenciesTooDeep(image: record.name, limit: limit) }
        for dependency in try record.decodedManifest().dependencies where try store.dependency(dependency) == nil {
            let app = AppString(name: dependency.imageName, labels: dependency.labels.map { ($0.name, $0.value) })
            log.info("fetching dependency \(app)")
            let fetched = try fetchName(app)
            if let id = dependency.imageID, fetched.key != id.storeKey {
                throw FetchError.dependencyMismatch(dependency: dependency.imageName, fetched: fetched.key, image: record.name, required: id)
            }
            try fetchDependencies(of: fetched, depth: depth + 1)
        }
    }

    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
