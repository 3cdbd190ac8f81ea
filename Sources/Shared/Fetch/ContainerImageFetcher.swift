import Glibc
import Logging

/// Fetches container images — from a docker registry or an OCI layout/archive — into the store:
/// layers flattened straight into the image's tree, the ACI written from it. Without
/// `--insecure-options=image` a simple-signing signature (`--signature`) must vouch for the
/// manifest digest, signed by a key trusted for the image's name.
struct ContainerImageFetcher {
    let fetcher: ImageFetcher
    private let log = Logger(label: "image")

    init(fetcher: ImageFetcher) { self.fetcher = fetcher }

    func fetchDocker(_ text: String, signature: String?) throws -> ImageRecord {
        let reference = try DockerReference(text)
        let name = try ImageReference.appcName("\(reference.registry)/\(reference.repository)")
        let version = reference.tag ?? reference.digest.map { String($0.encoded.prefix(12)) }
        if fetcher.pullPolicy != .update, let stored = try stored(name, version) { return stored }
        if fetcher.pullPolicy == .never { throw FetchError.containerImageNotStored(reference: reference) }
        let signatureBytes = try requiredSignature(signature, for: "docker://\(reference)")
        let staging = try fetcher.store.stagingDirectory()
        var client = DockerRegistryClient(reference: reference, insecure: fetcher.insecure,
                                          credentials: fetcher.config.registryCredentials[reference.registry], limits: fetcher.limits)
        log.debug("remote fetching from docker registry \(reference.registry)")
        let digest = try client.copy(to: "\(staging.path)/oci", platform: .host)
        if let signatureBytes {
            try verifySimpleSigning(signatureBytes, identity: reference.description, digest: digest, name: name)
        }
        let source = try SourceImage.open("\(staging.path)/oci", platform: .host)
        return try importSource(source, name: name, version: version, staging: staging)
    }

    func fetchOCI(_ location: String, signature: String?) throws -> ImageRecord {
        let source = try SourceImage.open(location, platform: .host)
        let reference = source.reference.map(ImageReference.init)
        // A bare tag (`latest`) names no image: the layout's directory name stands in.
        let (path, _) = SourceImage.splitTag(location)
        let rawName = reference?.name ?? String(path.split(separator: "/").last ?? "image")
        let name = try ImageReference.appcName(rawName)
        if fetcher.pullPolicy == .new, let stored = try stored(name, reference?.tag), stored.name == name.value { return stored }
        if let signatureBytes = try requiredSignature(signature, for: "oci:\(location)") {
            let (path, tag) = SourceImage.splitTag(location)
            let digest = try OCIManifestDigest.resolve(tag.map { "\(path):\($0)" } ?? path)
            try verifySimpleSigning(signatureBytes, identity: source.reference!, digest: digest, name: name)
        }
        return try importSource(source, name: name, version: reference?.tag, staging: try fetcher.store.stagingDirectory())
    }

    private func stored(_ name: ACIdentifier, _ version: String?) throws -> ImageRecord? {
        try fetcher.store.find(AppString(name: name, labels: version.map { [(try ACIdentifier("version"), $0)] } ?? []))
    }

    private func requiredSignature(_ path: String?, for image: String) throws -> [UInt8]? {
        guard !fetcher.insecure.contains(.image) else { return nil }
        guard let path else {
            throw FetchError.simpleSigningRequired(image: image)
        }
        return try FileIO.readFile(path, limit: 1 << 20)
    }

    private func verifySimpleSigning(_ signature: [UInt8], identity: String, digest: Digest, name: ACIdentifier) throws {
        do {
            let keys = try fetcher.trustStore.keys(for: name).map { SignatureVerifier.Key(contents: $0.contents, source: $0.path) }
            let verification = try SimpleSigning.verify(signature: signature, reference: identity, manifestDigest: digest, keys: keys)
            try KeySelection.trustStore(fetcher.trustStore).check(verification, name: name)
            log.info("signature verified:")
            for userID in verification.signer.key.userIDs { log.info("  \(userID)") }
        } catch let error as SignatureError {
            throw FetchError.signature(image: name, error)
        } catch let error as ImageVerificationError {
            throw FetchError.verification(image: name, error)
        }
    }

    private func importSource(_ source: SourceImage, name: ACIdentifier, version: String?, staging: StagingDirectory) throws -> ImageRecord {
        let manifest = try ImageConfigMapping.imageManifest(from: source.config, name: name, version: version)
        let tree = "\(staging.path)/image"
        try FileIO.makeDirectories("\(tree)/rootfs")
        try ImageFlattener.flatten(source, into: "\(tree)/rootfs", allowDevices: geteuid() == 0)
        return try fetcher.store.importTree(tree, manifest: manifest)
    }
}
