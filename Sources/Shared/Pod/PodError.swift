/// A pod operation that cannot be done, and why.
public enum PodError: Error, Sendable, CustomStringConvertible {
    /// `rkt export` of a pod that has not exited.
    case notExited(PodUUID, state: PodState)
    /// Another process holds the pod's lock.
    case inUse(PodUUID)
    /// A new pod whose lock could not be taken.
    case newPodLocked(PodUUID)
    /// `--app` names no app of the pod.
    case noSuchApp(String, apps: [String])
    /// A pod of several apps and no `--app`.
    case appRequired(apps: [String])
    /// The app's image tree is gone from the pod directory.
    case missingImageTree(app: String)
    /// `rkt stop` of an exited pod.
    case alreadyStopped(PodUUID)
    /// `rkt stop` of a pod that is not running.
    case notRunning(PodUUID)
    /// `rkt rm` of a pod in a state that cannot be removed.
    case notRemovable(PodUUID, state: PodState)
    /// An empty UUID argument.
    case emptyUUID
    /// No pod's UUID starts with the argument.
    case noMatch(String)
    /// Several pods' UUIDs start with the argument.
    case ambiguousUUID(matches: Int)
    /// A stage1 image that does not say which entrypoint runs a pod.
    case noRunEntrypoint(stage1: ACIdentifier)

    public var description: String {
        switch self {
        case .notExited(let uuid, let state):
            "pod is not exited. Only exited pods can be exported (pod \(quoted(uuid.description)) is \(state.rawValue))"
        case .inUse(let uuid):
            "pod \(quoted(uuid.description)) is in use"
        case .newPodLocked(let uuid):
            "cannot lock new pod \(uuid)"
        case .noSuchApp(let app, let apps):
            "pod has no app \(quoted(app)) (apps: \(apps.joined(separator: ", ")))"
        case .appRequired(let apps):
            "pod has \(apps.count) apps (\(apps.joined(separator: ", "))); choose one with --app"
        case .missingImageTree(let app):
            "the image tree of app \(quoted(app)) is missing from the pod"
        case .alreadyStopped(let uuid):
            "pod \(quoted(uuid.description)) is already stopped"
        case .notRunning(let uuid):
            "pod \(quoted(uuid.description)) is not running"
        case .notRemovable(let uuid, let state):
            "pod \(quoted(uuid.description)) is \(state.rawValue); it cannot be removed"
        case .emptyUUID:
            "UUID cannot be empty"
        case .noMatch(let text):
            "no matches found for \(quoted(text))"
        case .ambiguousUUID(let matches):
            "ambiguous uuid, \(matches) matches"
        case .noRunEntrypoint(let stage1):
            "the stage1 image \(stage1) has no \(Stage1Selection.runAnnotation) annotation"
        }
    }
}
