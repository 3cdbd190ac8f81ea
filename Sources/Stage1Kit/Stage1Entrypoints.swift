import Glibc

/// The stage1 entrypoints of the built-in flavors (run, enter, stop, gc). Stage0 runs them with
/// the pod directory as the working directory.
public enum Stage1Entrypoints {
    /// `run [--debug] --net=… [--interactive] [--hostname=H] … UUID`: makes the pod, records its
    /// pid, supervises its apps, and returns the pod's exit code.
    public static func run(flavor: Flavor, arguments: [String]) throws -> Int32 {
        var pod = PodRun(flavor: flavor, options: try Stage1Options(arguments: arguments), layout: PodLayout(root: try currentDirectory()))
        return try pod.run()
    }

    /// `enter --pid=PID --appname=NAME [--] CMD [ARGS…]`: runs CMD confined as the app; returns its
    /// exit code.
    public static func enter(arguments: [String]) throws -> Int32 {
        let enter = try AppEnter(arguments: arguments)
        try ReadOnlyExecutable.ensure()
        return try enter.run(layout: PodLayout(root: try currentDirectory()))
    }

    /// `stop [--force] UUID`: asks the pod's apps to stop (SIGTERM to the supervisor), or kills
    /// the pod (SIGKILL to its process 1, which ends every process of its pid namespace).
    public static func stop(arguments: [String]) throws -> Int32 {
        let layout = PodLayout(root: try currentDirectory())
        let force = arguments.contains("--force")
        let file = force ? layout.pid : layout.supervisorPID
        guard let pid = pid_t(String(decoding: try FileIO.readFile(file), as: UTF8.self).trimmed()) else {
            throw Stage1Error.noPidRecorded(file: file)
        }
        if kill(pid, force ? SIGKILL : SIGTERM) != 0 && errno != ESRCH {
            throw SystemCallError("kill", path: String(pid))
        }
        return 0
    }

    /// `gc [--debug] … UUID`: removes what the pod left outside its directory (its cgroups, and
    /// its networks when its stage1 could not tear them down).
    public static func collect(arguments: [String]) throws -> Int32 {
        guard let uuid = arguments.last(where: { !$0.hasPrefix("-") }) else { throw Stage1Error.noPodUUID }
        (try? Cgroups.detect())?.remove(pod: uuid)
        let layout = PodLayout(root: try currentDirectory())
        if FileIO.exists(layout.networkNamespace) || FileIO.exists(layout.networkConfigurations) {
            PodNetwork(layout: layout, uuid: uuid, debug: arguments.contains("--debug")).tearDown()
        }
        return 0
    }

    static func currentDirectory() throws -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        guard getcwd(&buffer, buffer.count) != nil else { throw SystemCallError("getcwd", path: "") }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

extension String {
    func trimmed() -> String {
        String(drop { $0.isWhitespace }.reversed().drop { $0.isWhitespace }.reversed())
    }
}
