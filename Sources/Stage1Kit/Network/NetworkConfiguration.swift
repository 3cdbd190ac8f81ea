import AppcSchema

/// A CNI network configuration (`net.d/*.conf`): its name and plugin type, and the JSON handed
/// to the plugin.
struct NetworkConfiguration: Sendable, Equatable {
    /// The CNI version given to a configuration that names none or one whose results lack what
    /// rkt needs (0.1/0.2 results carry no interfaces, which chained plugins such as portmap use).
    static let cniVersion = "0.4.0"

    /// The file it came from (its name orders the networks: rkt's rule).
    var fileName: String
    var name: String
    var type: String
    /// Whether the plugin masquerades the pod's traffic (the network rkt forwards ports on).
    var masquerades: Bool
    /// The configuration as given to the plugin.
    var bytes: [UInt8]

    init(fileName: String, bytes: [UInt8]) throws(NetworkError) {
        self.fileName = fileName
        do {
            guard case .object(var members) = try JSONParser.parse(bytes) else {
                throw NetworkError.invalidConfiguration(file: fileName, reason: "not a JSON object")
            }
            let reader = try JSONObjectReader(.object(members))
            name = try reader.string("name") ?? ""
            type = try reader.string("type") ?? ""
            masquerades = (try? reader.bool("ipMasq")) ?? false
            let version = try reader.string("cniVersion") ?? ""
            if version.isEmpty || version.hasPrefix("0.1.") || version.hasPrefix("0.2.") {
                members.removeAll { $0.key == "cniVersion" }
                members.insert(JSONMember(key: "cniVersion", value: .string(Self.cniVersion)), at: 0)
            }
            self.bytes = JSONWriter.compact(.object(members))
        } catch let error as NetworkError {
            throw error
        } catch {
            throw .invalidConfiguration(file: fileName, reason: "\(error)")
        }
        if name.isEmpty { throw .invalidConfiguration(file: fileName, reason: "no \"name\"") }
        if type.isEmpty { throw .invalidConfiguration(file: fileName, reason: "no \"type\"") }
    }
}
