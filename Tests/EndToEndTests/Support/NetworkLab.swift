import Foundation
import TestSupport
import Testing

/// Two network namespaces standing in for a host and a machine behind it, so that pod network
/// tests change neither the real host's links nor its iptables: rkt runs in the lab (`nsenter
/// --net`), whose address is 198.51.100.1; the peer, 198.51.100.2, is reached through it.
/// Names carry the test process's pid, so that runs of the suite do not meet.
final class NetworkLab: @unchecked Sendable {
    let name: String
    let peer: String
    static let labAddress = "198.51.100.1"
    static let peerAddress = "198.51.100.2"
    private var servers: [SpawnedProcess] = []

    init(_ tag: String) throws {
        name = "rktlab-\(tag)-\(getpid())"
        peer = "rktpeer-\(tag)-\(getpid())"
        for namespace in [name, peer] { try Self.ip(["netns", "add", namespace]) }
        try Self.ip(["link", "add", "lab0", "netns", name, "type", "veth", "peer", "name", "peer0", "netns", peer])
        for (namespace, device, address) in [(name, "lab0", Self.labAddress), (peer, "peer0", Self.peerAddress)] {
            try Self.ip(["-n", namespace, "link", "set", "lo", "up"])
            try Self.ip(["-n", namespace, "address", "add", "\(address)/24", "dev", device])
            try Self.ip(["-n", namespace, "link", "set", device, "up"])
        }
        try Self.ip(["-n", peer, "route", "add", "default", "via", Self.labAddress])
    }

    deinit {
        for server in servers {
            server.kill(SIGKILL)
            _ = server.wait()
        }
        _ = try? Self.ip(["netns", "delete", name])
        _ = try? Self.ip(["netns", "delete", peer])
        for namespace in [name, peer] { try? FileManager.default.removeItem(atPath: "\(NSTemporaryDirectory())/\(namespace)-www") }
    }

    /// What runs rkt (or anything) in the lab: the lab's network, the host's mounts.
    func launcher(_ namespace: String? = nil) -> [String] { ["/usr/bin/nsenter", "--net=/run/netns/\(namespace ?? name)"] }

    /// Runs `program` in the lab (or the peer).
    @discardableResult
    func run(_ program: String, _ arguments: [String], in namespace: String? = nil, timeout: TimeInterval = 60) throws -> Tool.Result {
        try Tool.execute("/usr/bin/nsenter", Array(launcher(namespace).dropFirst()) + [program] + arguments, timeout: timeout)
    }

    /// An HTTP server answering `text` on port 8080 of every address of the lab (or the peer),
    /// ready when this returns; it serves from a directory of its own (not a pod home's, where
    /// its process would count as a pod's leftover).
    func serve(_ text: String, in namespace: String? = nil) throws {
        let directory = "\(NSTemporaryDirectory())/\(namespace ?? name)-www"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: "\(directory)/index.html", atomically: true, encoding: .utf8)
        let server = try SpawnedProcess("/usr/bin/nsenter", Array(launcher(namespace).dropFirst()) + ["/usr/bin/python3", "-m", "http.server", "-b", "0.0.0.0", "8080", "-d", directory],
                                        directory: directory, environment: ProcessInfo.processInfo.environment, standardOutput: .null, standardError: .null)
        servers.append(server)
        let ready = PodTestSupport.waitUntil(20) {
            (try? run("/usr/bin/curl", ["-sf", "-m", "2", "http://127.0.0.1:8080/"], in: namespace))?.status == 0
        }
        #expect(ready, "the lab's HTTP server did not start")
    }

    /// The lab's state pods must leave as they found it: links, addresses, routes, iptables.
    func snapshot() throws -> String {
        let links = try run("/usr/sbin/ip", ["-o", "link"]).stdout.split(separator: "\n").map { $0.split(separator: ":").dropFirst().prefix(1).joined() }
        let addresses = try run("/usr/sbin/ip", ["-o", "-4", "address"]).stdout
        let routes = try run("/usr/sbin/ip", ["route"]).stdout
        let rules = try run("/usr/sbin/iptables-save", []).stdout.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix(":") }
        return (links + [addresses, routes] + rules.map(String.init)).joined(separator: "\n")
    }

    /// Expects the lab as `before` (a snapshot), showing the lines that differ.
    func expectUnchanged(since before: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let after = try snapshot()
        let old = Set(before.split(separator: "\n")), new = Set(after.split(separator: "\n"))
        #expect(after == before, "gone: \(old.subtracting(new).sorted()) new: \(new.subtracting(old).sorted())", sourceLocation: sourceLocation)
    }

    @discardableResult
    static func ip(_ arguments: [String]) throws -> Tool.Result {
        try Tool.execute("/usr/sbin/ip", arguments).check("ip \(arguments.joined(separator: " "))")
    }

    /// Leases host-local holds for a pod (its UUID in a lease file under /var/lib/cni/networks).
    static func leases(of uuids: [String]) -> [String] {
        let root = "/var/lib/cni/networks"
        let networks = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return networks.flatMap { network in
            ((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(network)")) ?? []).compactMap { file in
                let content = (try? String(contentsOfFile: "\(root)/\(network)/\(file)", encoding: .utf8)) ?? ""
                return uuids.contains { !$0.isEmpty && content.hasPrefix($0) } ? "\(network)/\(file)" : nil
            }
        }
    }

    /// Namespaces rkt left under /run/netns for pods.
    static func namespaces(of uuids: [String]) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/run/netns")) ?? []
        return names.filter { name in uuids.contains { !$0.isEmpty && name == "rkt-\($0)" } }
    }
}
