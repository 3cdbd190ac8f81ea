import Glibc

/// What the Linux layer refuses or fails at, besides a failed system call (`SystemCallError`).
public enum LinuxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A process could not be started; `reason` names the step that failed in the child.
    case spawn(command: String, reason: String)
    /// A spawn request holds more descriptors of a kind than the spawner does.
    case tooManyDescriptors(command: String, kind: String, count: Int, capacity: Int)
    case unknownCapability(String)
    /// No cgroup hierarchy to make a pod's cgroups in.
    case noCgroupHierarchy
    /// cgroup v1 without the devices controller: a device allow-list cannot be enforced.
    case noDevicesController
    /// A cgroup v2 controller a limit needs is not delegated to `path`.
    case controllerUnavailable(controller: String, path: String)
    /// The cgroup v2 device program could not be loaded or attached.
    case deviceProgram(path: String, code: Int32)
    /// Something other than a regular file where one is read (an image's /etc/passwd).
    case notRegularFile(String)
    /// libseccomp could not make a filter.
    case seccomp(step: String)

    public var description: String {
        switch self {
        case .spawn(let command, let reason): "cannot start \(command): \(reason)"
        case .tooManyDescriptors(let command, let kind, let count, let capacity): "cannot start \(command): \(count) \(kind), at most \(capacity)"
        case .unknownCapability(let name): "unknown capability \"\(name)\""
        case .noCgroupHierarchy: "no usable cgroup hierarchy (neither cgroup2 at /sys/fs/cgroup nor v1 controllers)"
        case .noDevicesController:
            "no cgroup devices controller is mounted: the pod's device allow-list cannot be enforced (--insecure-options=paths runs without it)"
        case .controllerUnavailable(let controller, let path):
            "the \(controller) controller is not available for \(path) (cgroup v2 without \(controller) delegated): the app's \(controller) limit cannot be enforced"
        case .deviceProgram(let path, let code):
            "cannot attach the device allow-list to \(path) (a cgroup device program): \(String(cString: strerror(code)))"
        case .notRegularFile(let inside): "\(inside) in the image is not a regular file"
        case .seccomp(let step): "seccomp: \(step)"
        }
    }
}
