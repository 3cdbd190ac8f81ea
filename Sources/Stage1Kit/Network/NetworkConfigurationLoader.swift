import Glibc
import LinuxSupport
import Stage1ABI

/// Finds the configurations of the networks a pod joins, as rkt did: the built-in ones, then
/// `net.d/*.conf` of the system configuration, then of the local one, a later directory's network
/// overriding an earlier one's of the same name (within a directory the first file by name wins),
/// and the networks ordered by file name.
struct NetworkConfigurationLoader {
    /// Configuration directories, the later overriding the earlier.
    var directories: [String]

    /// The networks `requests` name (every one for `all`), each with the CNI_ARGS asked for.
    func load(_ requests: [NetworkSelection.Request]) throws(NetworkError) -> [(configuration: NetworkConfiguration, arguments: String)] {
        var byName: [String: NetworkConfiguration] = [:]
        for configuration in try BuiltinNetworks.files.map({ file throws(NetworkError) in
            try NetworkConfiguration(fileName: file.name, bytes: Array(file.content.utf8))
        }) {
            byName[configuration.name] = configuration
        }
        for directory in directories {
            var found: [String: NetworkConfiguration] = [:]
            for file in Self.configurationFiles(in: directory) {
                let bytes: [UInt8]
                do { bytes = try FileIO.readFile("\(directory)/\(file)", limit: 1 << 20) } catch {
                    throw .invalidConfiguration(file: "\(directory)/\(file)", reason: "\(error)")
                }
                var configuration = try NetworkConfiguration(fileName: "\(directory)/\(file)", bytes: bytes)
                configuration.fileName = file
                if found[configuration.name] == nil { found[configuration.name] = configuration }
            }
            byName.merge(found) { $1 }
        }
        let all = requests.contains { $0.name == "all" }
        let names = requests.map(\.name).filter { $0 != "all" }
        let missing = names.filter { byName[$0] == nil }
        if !missing.isEmpty { throw .notFound(missing) }
        let chosen = all ? Array(byName.values) : names.compactMap { byName[$0] }
        return chosen.sorted { ($0.fileName, $0.name) < ($1.fileName, $1.name) }.map { configuration in
            (configuration, requests.first { $0.name == configuration.name }?.arguments ?? "")
        }
    }

    /// The `.conf` files of `directory`, by name; none when it does not exist.
    static func configurationFiles(in directory: String) -> [String] {
        guard let names = try? DirectoryWalker.sortedNames(atPath: directory) else { return [] }
        return names.filter { $0.hasSuffix(".conf") && !$0.hasPrefix(".") }
    }
}
