/// A pod manifest that cannot be made from the images and options given, or read from the file given.
public enum PodManifestError: Error, Sendable, CustomStringConvertible {
    /// Two apps of the pod with one name.
    case duplicateAppName(ACName)
    /// An image without an app section, and no `--exec`.
    case noApp(image: String)
    /// An app section that the options made invalid.
    case invalidApp(ACName, cause: any Error)
    /// A mount of a volume that no `--volume` defines.
    case undefinedVolume(app: ACName, volume: ACName)
    /// An environment variable that cannot be set.
    case invalidEnvironmentVariable(String, cause: any Error)
    /// A `--set-env-file` line without `name=`.
    case environmentFileSyntax(path: String)
    /// A `--memory` limit below 4 KiB.
    case memoryTooLow(bytes: Int64)
    /// A `--cpu` limit below 10m.
    case cpuTooLow(String)
    /// Both `--caps-retain` and `--caps-remove` for one app.
    case conflictingCapabilities
    /// A `--seccomp` without `mode=retain` or `mode=remove`.
    case seccompMode(String)
    /// An image without an `os` label.
    case missingOS(image: String)
    /// An image for another operating system.
    case otherOS(String, host: String)
    /// An image for another architecture.
    case otherArch(String, host: String)
    /// A `--pod-manifest` file that is not a pod manifest.
    case invalidPodManifest(path: String, cause: any Error)
    /// A `--pod-manifest` without apps.
    case emptyPodManifest
    /// Neither images nor `--pod-manifest`.
    case noImages
    /// An app of the pod manifest whose image is not in the store.
    case imageNotStored(app: ACName, image: String)

    public var description: String {
        switch self {
        case .duplicateAppName(let name):
            "error: multiple apps with name \(name)"
        case .noApp(let image):
            "error: image \(image) has no app section and --exec argument is not provided"
        case .invalidApp(let name, let cause):
            "app \(name): \(cause)"
        case .undefinedVolume(let app, let volume):
            "app \(app): mount of volume \(volume), which no --volume defines"
        case .invalidEnvironmentVariable(let name, let cause):
            "environment variable \(quoted(name)): \(cause)"
        case .environmentFileSyntax(let path):
            "environment variable must be specified as name=value (file \(quoted(path)))"
        case .memoryTooLow(let bytes):
            "memory limit of \(bytes) bytes too low. Try a limit of at least 4Ki"
        case .cpuTooLow(let cpu):
            "cpu limit of \(cpu) too low. Try a limit of at least 10m"
        case .conflictingCapabilities:
            "cannot have both --caps-retain and --caps-remove for one app (os/linux/capabilities-retain-set and os/linux/capabilities-remove-set)"
        case .seccompMode(let seccomp):
            "--seccomp needs mode=retain or mode=remove (got \(quoted(seccomp)))"
        case .missingOS(let image):
            "missing os label in the image manifest of \(image)"
        case .otherOS(let os, let host):
            "bad os \(quoted(os)) (this host runs \(host))"
        case .otherArch(let arch, let host):
            "bad arch \(quoted(arch)) (this host runs \(host))"
        case .invalidPodManifest(let path, let cause):
            "\(path): invalid pod manifest: \(cause)"
        case .emptyPodManifest:
            "pod must contain at least one application"
        case .noImages:
            "must provide at least one image or specify the pod manifest"
        case .imageNotStored(let app, let image):
            "app \(app): image \(image) is not in the store"
        }
    }
}
