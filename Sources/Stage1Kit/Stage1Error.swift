import Glibc

/// Why a stage1 entry point (run, enter, stop, gc) failed. System calls that fail report through
/// `SystemCallError`; these are the stage1 ABI's and the pod's own refusals.
public enum Stage1Error: Error, Sendable, Equatable, CustomStringConvertible {
    case noPodUUID
    case usage(String)
    case noPidRecorded(file: String)
    case flyRunsOneApp(count: Int)
    /// The pod's process 1 could not be started or failed setting itself up.
    case podInit(String)
    case appNotRunning(app: String, podPID: Int32)
    case noExec(app: String)
    case invalidSupplementaryGroup(Int)
    case userNotFound(String)
    case groupNotFound(String)
    /// `--user=/path` or `--group=/path` naming nothing in the image.
    case ownerPathNotFound(path: String, user: Bool)
    case undefinedVolume(app: String, volume: String)
    /// rkt's message for a host volume source that cannot be looked at.
    case volumeSourceMissing(path: String, code: Int32)
    case volumeSourceIsSymlink(volume: String, source: String)
    case cpuLimitTooSmall(String)
    case conflictingCapabilitySets
    case unknownSeccompWildcard(String)
    case unknownSystemCall(String)
    case unsupportedSeccompErrno(String)
    case badMetadataPort(String)

    public var description: String {
        switch self {
        case .noPodUUID: "no pod UUID given"
        case .usage(let usage): "usage: \(usage)"
        case .noPidRecorded(let file): "no pid recorded for the pod in \(file)"
        case .flyRunsOneApp(let count): "the fly stage1 runs exactly one app (the pod has \(count))"
        case .podInit(let reason): "the pod's init failed: \(reason)"
        case .appNotRunning(let app, let podPID): "app \(app) is not running in pod process \(podPID)"
        case .noExec(let app): "app \(app) has no app section and no exec"
        case .invalidSupplementaryGroup(let gid): "invalid supplementary group \(gid)"
        case .userNotFound(let user): "user \(quoted(user)) not found in the image's /etc/passwd"
        case .groupNotFound(let group): "group \(quoted(group)) not found in the image's /etc/group"
        case .ownerPathNotFound(let path, let user): "\(path) not found in the image (given as the app's \(user ? "user" : "group"))"
        case .undefinedVolume(let app, let volume): "app \(app): mount of volume \(volume), which the pod does not define"
        case .volumeSourceMissing(let path, let code): "Failed to stat \(path): \(String(cString: strerror(code)))"
        case .volumeSourceIsSymlink(let volume, let source): "host volume \(volume): source \(source) is a symlink"
        case .cpuLimitTooSmall(let limit): "resource/cpu limit \(limit) is below 10m, the smallest CFS quota (1 ms per 100 ms)"
        case .conflictingCapabilitySets: "cannot have both os/linux/capabilities-retain-set and os/linux/capabilities-remove-set"
        case .unknownSeccompWildcard(let name):
            "unknown seccomp wildcard \(quoted(name)) (known: @appc.io/all, @appc.io/empty, @rkt/default-blacklist, @rkt/default-whitelist, @docker/default-blacklist, @docker/default-whitelist)"
        case .unknownSystemCall(let name): "unknown system call \(quoted(name)) in the seccomp isolator"
        case .unsupportedSeccompErrno(let name): "unsupported seccomp errno \(quoted(name))"
        case .badMetadataPort(let value): "--mds-port=\(value): not a port number (1-65535)"
        }
    }
}
