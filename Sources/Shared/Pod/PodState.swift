/// A pod's state: the directory it is in under `pods/`, and whether its lock is held.
public enum PodState: String, Sendable, CaseIterable {
    case embryo
    case preparing
    case abortedPrepare = "aborted prepare"
    case prepared
    case running
    case exited
    case exitedDeleting = "exited deleting"
    case exitedGarbage = "exited garbage"
    case deleting
    case garbage

    /// The directory under `pods/` holding pods in this state.
    public var directory: String {
        switch self {
        case .embryo: return "embryo"
        case .preparing, .abortedPrepare: return "prepare"
        case .prepared: return "prepared"
        case .running, .exited: return "run"
        case .exitedDeleting, .exitedGarbage: return "exited-garbage"
        case .deleting, .garbage: return "garbage"
        }
    }

    /// The state of a pod found in `directory`, locked or not.
    static func from(directory: String, locked: Bool) -> PodState? {
        switch directory {
        case "embryo": return .embryo
        case "prepare": return locked ? .preparing : .abortedPrepare
        case "prepared": return .prepared
        case "run": return locked ? .running : .exited
        case "exited-garbage": return locked ? .exitedDeleting : .exitedGarbage
        case "garbage": return locked ? .deleting : .garbage
        default: return nil
        }
    }

    /// Whether the pod has ended (its apps' exit statuses are final).
    public var isExited: Bool { [.exited, .exitedGarbage, .exitedDeleting].contains(self) }
}
