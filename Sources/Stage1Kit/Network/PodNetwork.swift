import AppcSchema
import Glibc
import LinuxSupport
import Stage1ABI

/// A pod's CNI networks: its network namespace (held under /run/netns while the pod lives), the
/// plugins' ADD for each network it joins and their DEL when it ends, as rkt's stage1 did. What
/// teardown needs is in the pod directory before any plugin runs (`netns`, copies of the
/// configurations in `net/`), so that `gc` can finish the job of a stage1 that was killed.
struct PodNetwork {
    let layout: PodLayout
    let uuid: String
    var debug = false

    /// Makes the pod's namespace and records it, unless stage0 or an earlier pass of this stage1
    /// did (stage1 may execute itself again from a mount namespace of its own).
    func createNamespace() throws {
        let path = PodLayout.networkNamespacePath(uuid: uuid)
        if NetworkNamespace.isNamespace(path) { return }
        try FileIO.writeFile(layout.networkNamespace, path)
        try NetworkNamespace.create(at: path)
    }

    /// Adds the pod to its networks (`configurationDirectories` as `NetworkConfigurationLoader`'s),
    /// forwards `ports` on the network rkt forwards on, records the networks in `net-info.json`,
    /// and writes the first DNS settings a plugin returned as the pod's resolv.conf when stage0
    /// left none. On failure every network added is torn down again. Returns the host's address
    /// on the first network (the gateway the pod reaches its host by).
    func setUp(_ requests: [NetworkSelection.Request], configurationDirectories: [String], ports: [ForwardedPort]) throws -> String? {
        let loaded = try NetworkConfigurationLoader(directories: configurationDirectories).load(requests)
        if let taken = ports.first(where: { !HostPort.isFree(address: $0.hostIP, port: $0.hostPort, protocol: $0.protocol) }) {
            throw NetworkError.portInUse(taken)
        }
        try FileIO.makeDirectories(layout.networkConfigurations)
        var networks: [NetworkInfo] = []
        var results: [(NetworkConfiguration, CNIResult)] = []
        do {
            for (index, (configuration, arguments)) in loaded.enumerated() {
                let plugin = try CNIPlugin(type: configuration.type, network: configuration.name)
                let copy = "\(layout.networkConfigurations)/\(configuration.fileName)"
                try FileIO.writeFile(copy, configuration.bytes)
                let interface = "eth\(index)"
                let output = try timed("\(configuration.name): \(configuration.type) ADD") {
                    try plugin.run(invocation("ADD", configuration.name, interface: interface, arguments: arguments, configuration: configuration.bytes))
                }
                let result = try CNIResult(network: configuration.name, bytes: output)
                results.append((configuration, result))
                networks.append(NetworkInfo(name: configuration.name, configuration: "net/\(configuration.fileName)", pluginPath: plugin.path,
                                            interface: interface, ip: result.ip, arguments: arguments, mask: result.mask))
            }
            if !ports.isEmpty { try forward(ports, results: results) }
            try FileIO.writeFile(layout.networkInfo, NetworkInfo.encode(networks))
            if !FileIO.exists(layout.resolvConfFile), let conf = results.lazy.compactMap({ $0.1.resolvConf(network: $0.0.name) }).first {
                try FileIO.makeDirectories("\(layout.stage1Rootfs)/etc")
                try FileIO.writeFile(layout.resolvConfFile, conf)
            }
        } catch {
            tearDown()
            throw error
        }
        return results.first?.1.gateway
    }

    /// DEL for every network recorded (the last added first), then the namespace goes. Failures
    /// are reported and the rest goes on: what can be removed is.
    func tearDown() {
        let configurations = NetworkConfigurationLoader.configurationFiles(in: layout.networkConfigurations)
        let namespace = (try? FileIO.readFile(layout.networkNamespace)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        // A namespace that is gone (its mount lost with a killed stage1) is not handed to a plugin.
        let live = !namespace.isEmpty && NetworkNamespace.isNamespace(namespace)
        for (index, file) in configurations.enumerated().reversed() {
            let copy = "\(layout.networkConfigurations)/\(file)"
            for (path, isPortMap) in [("\(copy).portmap", true), (copy, false)] {
                guard let bytes = try? FileIO.readFile(path, limit: 1 << 20) else { continue }
                do {
                    let configuration = try NetworkConfiguration(fileName: file, bytes: bytes)
                    let plugin = try CNIPlugin(type: configuration.type, network: configuration.name)
                    var call = invocation("DEL", configuration.name, interface: "eth\(index)", arguments: "", configuration: bytes)
                    if !live { call.namespace = "" }
                    _ = try timed("\(configuration.name): \(configuration.type) DEL") { try plugin.run(call) }
                } catch {
                    logError("network teardown\(isPortMap ? " (ports)" : ""): \(error)")
                }
                unlink(path)
            }
        }
        rmdir(layout.networkConfigurations)
        if !namespace.isEmpty { NetworkNamespace.destroy(namespace) }
        unlink(layout.networkNamespace)
    }

    /// Chains the `portmap` plugin after the network ports are forwarded on: the first that
    /// masquerades, else the last (rkt's choice).
    private func forward(_ ports: [ForwardedPort], results: [(NetworkConfiguration, CNIResult)]) throws {
        guard let (network, result) = results.first(where: { $0.0.masquerades }) ?? results.last else { throw NetworkError.noNetworkForPorts }
        let mappings: [JSONValue] = ports.map { port in
            .object(["hostPort": .number(String(port.hostPort)), "containerPort": .number(String(port.podPort)),
                     "protocol": .string(port.protocol), "hostIP": port.hostIP == "0.0.0.0" ? nil : .string(port.hostIP)])
        }
        let version = (try? JSONObjectReader(result.json).string("cniVersion")) ?? nil
        let configuration: JSONValue = .object([
            "cniVersion": .string(version ?? NetworkConfiguration.cniVersion), "name": .string(network.name), "type": .string("portmap"),
            "snat": .bool(true), "runtimeConfig": .object(["portMappings": .array(mappings)]), "prevResult": result.json,
        ])
        let bytes = JSONWriter.compact(configuration)
        let plugin = try CNIPlugin(type: "portmap", network: network.name)
        let index = results.firstIndex { $0.0.fileName == network.fileName } ?? 0
        try FileIO.writeFile("\(layout.networkConfigurations)/\(network.fileName).portmap", bytes)
        _ = try timed("\(network.name): portmap ADD") {
            try plugin.run(invocation("ADD", network.name, interface: "eth\(index)", arguments: "", configuration: bytes))
        }
    }

    private func invocation(_ command: String, _ network: String, interface: String, arguments: String, configuration: [UInt8]) -> CNIPlugin.Invocation {
        CNIPlugin.Invocation(command: command, network: network, containerID: uuid, namespace: PodLayout.networkNamespacePath(uuid: uuid),
                             interface: interface, arguments: arguments, configuration: configuration, scratch: layout.networkConfigurations)
    }

    /// Runs `body`; with --debug, says how long it took (the plugins' share of a pod's start).
    private func timed<T>(_ what: String, _ body: () throws -> T) rethrows -> T {
        guard debug else { return try body() }
        var start = timespec()
        var end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        defer {
            clock_gettime(CLOCK_MONOTONIC, &end)
            let milliseconds = Double(end.tv_sec - start.tv_sec) * 1000 + Double(end.tv_nsec - start.tv_nsec) / 1e6
            logError("network \(what): \(Int(milliseconds.rounded())) ms")
        }
        return try body()
    }
}
