import AppcSchema
import CLinux
import Glibc
import LinuxSupport

/// A CNI plugin executable, run as the CNI specification says: the command and the pod in the
/// environment, the network's configuration on standard input, the result (or a CNI error) on
/// standard output.
struct CNIPlugin {
    /// Where plugins are looked for: rkt's own directory, then Debian's, then the CNI default.
    static let searchPath = ["/usr/lib/rkt/plugins/net", "/usr/lib/cni", "/opt/cni/bin"]

    let path: String

    /// The plugin for a network's `type`.
    init(type: String, network: String) throws(NetworkError) {
        guard !type.contains("/"), let directory = Self.searchPath.first(where: { access("\($0)/\(type)", X_OK) == 0 }) else {
            throw .pluginNotFound(type: type, network: network, searched: Self.searchPath)
        }
        path = "\(directory)/\(type)"
    }

    /// One invocation; what it is given and where.
    struct Invocation {
        var command: String
        var network: String
        var containerID: String
        var namespace: String
        var interface: String
        var arguments: String
        var configuration: [UInt8]
        /// A directory for the configuration's temporary file.
        var scratch: String
    }

    /// Runs the plugin; returns its standard output, or throws with its CNI error message.
    func run(_ invocation: Invocation) throws -> [UInt8] {
        let input = rkt_open_tmpfile(invocation.scratch, 0o600)
        if input < 0 { throw SystemCallError("create a temporary file in", path: invocation.scratch) }
        let file = FileDescriptor(input)
        try FileIO.writeAll(file.rawValue, invocation.configuration, path: invocation.scratch)
        lseek(file.rawValue, 0, SEEK_SET)
        // CNI_ARGS the plugin does not know would fail it; the user's go to IPAM (IP=…).
        let arguments = invocation.arguments.isEmpty ? "" : "IgnoreUnknown=1;\(invocation.arguments)"
        let environment = [
            "CNI_COMMAND=\(invocation.command)", "CNI_CONTAINERID=\(invocation.containerID)",
            "CNI_NETNS=\(invocation.namespace)", "CNI_IFNAME=\(invocation.interface)", "CNI_ARGS=\(arguments)",
            "CNI_PATH=\(Self.searchPath.joined(separator: ":"))", "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        ]
        let (status, output) = Subprocess.run(path, [], input: file.rawValue, environment: environment)
        guard status == 0 else {
            throw NetworkError.plugin(command: invocation.command, network: invocation.network, message: Self.message(output, status: status))
        }
        return output
    }

    /// A CNI error's `msg` and `details`, or what the plugin printed, or its exit status.
    static func message(_ output: [UInt8], status: Int32) -> String {
        if let reader = try? JSONObjectReader(try JSONParser.parse(output)), let message = try? reader.string("msg"), !message.isEmpty {
            let details = (try? reader.string("details")) ?? ""
            return details.isEmpty ? message : "\(message); \(details)"
        }
        let text = String(decoding: output, as: UTF8.self).trimmed()
        return text.isEmpty ? "the plugin failed (exit status \(status))" : text
    }
}
