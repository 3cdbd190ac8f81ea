/// One app of a pod as the command line asks for it: the image and the per-app overrides.
public struct AppRequest: Sendable {
    public var image: String
    public var signature: String?
    public var exec: String?
    public var arguments: [String]?
    public var name: String?
    public var user: String?
    public var group: String?
    public var supplementaryGIDs: [Int]?
    public var workingDirectory: String?
    public var readOnlyRootfs = false
    /// `--environment` pairs, highest precedence.
    public var environment: [(name: String, value: String)] = []
    /// `--mount volume=V,target=PATH`.
    public var mounts: [(volume: String, target: String)] = []
    public var memory: String?
    public var cpu: String?
    public var cpuShares: Int?
    public var capsRetain: [String]?
    public var capsRemove: [String]?
    /// `--seccomp mode=retain|remove[,errno=E],syscall,…`.
    public var seccomp: String?
    public var oomScoreAdj: Int?
    public var annotations: [(name: String, value: String)] = []
    public var userAnnotations: [String: String] = [:]
    public var userLabels: [String: String] = [:]

    public init(image: String) { self.image = image }

    /// Whether any app-level override was given (they conflict with `--pod-manifest`).
    public var hasOverrides: Bool {
        exec != nil || arguments != nil || name != nil || user != nil || group != nil || supplementaryGIDs != nil
            || workingDirectory != nil || !environment.isEmpty || !mounts.isEmpty
    }
}
