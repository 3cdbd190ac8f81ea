/// A pod as `rkt run` / `rkt prepare` ask for it.
public struct PodRequest: Sendable {
    public var apps: [AppRequest] = []
    public var volumes: [Volume] = []
    /// `--mount` given before any image: for every app.
    public var sharedMounts: [(volume: String, target: String)] = []
    public var inheritEnvironment = false
    /// `--set-env` pairs.
    public var setEnvironment: [(name: String, value: String)] = []
    /// `--set-env-file` paths.
    public var environmentFiles: [String] = []
    public var noOverlay = false
    public var podManifest: String?
    public var stage1: Stage1Selection = .builtin(.ns)
    /// `--pids-limit`, as given (stage1 reads it from the pod manifest).
    public var pidsLimit: String?
    /// `--port`: host ports forwarded to app ports, by the app port's name.
    public var ports: [ExposedPort] = []

    public init() {}
}
