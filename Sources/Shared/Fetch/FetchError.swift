/// A fetch that failed, and why.
public enum FetchError: Error, Sendable, CustomStringConvertible {
    /// An http(s) image argument whose path does not end in `.aci`.
    case notAnImageURL(argument: String)
    /// A `docker://` argument without a repository (or with an empty component).
    case invalidDockerURL(String)
    /// A docker repository with other characters than lower case, digits, `.`, `_`, `-` and `/`.
    case invalidDockerName(String)
    /// An empty docker tag, or one longer than 128 characters.
    case invalidDockerTag(String)
    /// The signature file beside an image file (or given with `--signature`) could not be read.
    case signatureUnreadable(path: String, cause: any Error)
    /// A container image fetched without `--signature` while signatures are checked.
    case simpleSigningRequired(image: String)
    /// The image's signature was not accepted.
    case signature(image: ACIdentifier, SignatureError)
    /// The image's signature was made by a key the user should be told about (untrusted, not in the keyring).
    case verification(image: ACIdentifier, ImageVerificationError)
    /// A discovered image URL over plain http without `--insecure-options=http`.
    case plainHTTP(url: String)
    /// The server answered the signature's download with another status than 200 (or 202).
    case signatureStatus(url: String, status: Int)
    /// The signature was still deferred (HTTP 202) after `attempts` requests.
    case signatureDeferred(url: String, attempts: Int)
    /// The server answered the image's download with another status than 200 or 206.
    case downloadStatus(url: String, status: Int)
    /// `--pull-policy=never` and no stored copy of an image URL.
    case urlNotStored(url: String)
    /// `--pull-policy=never` and no stored image by that name.
    case nameNotStored(AppString)
    /// `--pull-policy=never` and no stored container image.
    case containerImageNotStored(reference: DockerReference)
    /// Discovery of an appc name failed (other than by a deadline).
    case discovery(name: AppString, cause: any Error)
    /// Every discovered endpoint of a name failed, each for the reason given.
    case endpoints(name: AppString, failures: [(url: String, cause: any Error)])
    /// The image fetched for a name is named otherwise.
    case otherName(found: ACIdentifier, requested: ACIdentifier)
    /// A label asked for that the image's manifest does not have.
    case missingLabel(ACIdentifier)
    /// A label whose value differs from the one asked for.
    case otherLabelValue(label: ACIdentifier, requested: String, found: String)
    /// Dependencies nested deeper than `limit`.
    case dependenciesTooDeep(image: String, limit: Int)
    /// A dependency fetched by name whose ID is not the one the depending image requires.
    case dependencyMismatch(dependency: ACIdentifier, fetched: String, image: String, required: ImageID)

    public var description: String {
        switch self {
        case .notAnImageURL(let argument):
            "invalid image string \(quoted(argument)): an http(s) URL must name an .aci file"
        case .invalidDockerURL(let text):
            "invalid docker URL \(quoted(text)); expected syntax is \"docker://[REGISTRY_HOST[:REGISTRY_PORT]/]IMAGE_NAME[:TAG]\""
        case .invalidDockerName(let repository):
            "invalid docker image name \(quoted(repository)) (lower case, digits, . _ - /)"
        case .invalidDockerTag(let tag):
            "invalid docker tag \(quoted(tag))"
        case .signatureUnreadable(let path, let cause):
            "error opening signature file \(path): \(cause) (sign the image with rkt-sign, or fetch with --insecure-options=image)"
        case .simpleSigningRequired(let image):
            "signature verification for container images needs a simple-signing signature (--signature FILE, as rkt-sign sign --oci or skopeo standalone-sign write) for \(image) (or use --insecure-options=image)"
        case .signature(let image, .untrusted(let fingerprint)):
            "image \(quoted(image.value)) verification failed: signed by \(fingerprint.isEmpty ? "an unknown key" : "key \(fingerprint.uppercased())"), which is not trusted for \(quoted(image.value)); to trust it: rkt trust --prefix \(image.value) KEY"
        case .signature(let image, let error):
            "image \(quoted(image.value)) verification failed: \(error)"
        case .verification(let image, let error):
            "image \(quoted(image.value)) verification failed: \(error)"
        case .plainHTTP(let url):
            "plain http for \(url) needs --insecure-options=http"
        case .signatureStatus(let url, let status):
            "error downloading the signature file \(url): HTTP status \(status)"
        case .signatureDeferred(let url, let attempts):
            "the signature \(url) was still deferred after \(attempts) attempts"
        case .downloadStatus(let url, let status):
            "error downloading \(url): HTTP status \(status)"
        case .urlNotStored(let url):
            "unable to fetch image from \(url): not in the store and --pull-policy=never"
        case .nameNotStored(let name):
            "unable to fetch image from image name \(quoted(name.description)): either image was not found in the store or store was disabled and fetching from remote yielded nothing or it is disabled"
        case .containerImageNotStored(let reference):
            "\(reference) is not in the store and --pull-policy=never"
        case .discovery(let name, let cause):
            "discovery failed for \(quoted(name.description)): \(cause)"
        case .endpoints(let name, let failures):
            "unable to fetch \(quoted(name.description)):\n  " + failures.map { "\($0.url): \($0.cause)" }.joined(separator: "\n  ")
        case .otherName(let found, let requested):
            "the image is named \(quoted(found.value)), not \(quoted(requested.value)) as requested"
        case .missingLabel(let label):
            "requested label \(quoted(label.value)) not provided by the image manifest"
        case .otherLabelValue(let label, let requested, let found):
            "requested value for label \(quoted(label.value)): \(quoted(requested)) differs from fetched aci label value: \(quoted(found))"
        case .dependenciesTooDeep(let image, let limit):
            "dependencies nested more than \(limit) deep under \(image)"
        case .dependencyMismatch(let dependency, let fetched, let image, let required):
            "dependency \(dependency) fetched as \(fetched), but \(image) requires \(required)"
        }
    }
}
