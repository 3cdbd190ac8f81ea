import Foundation
import TestSupport

/// The private GnuPG homes (`/tmp/rktgpg.*`) the tools make for verification. Other tests and other
/// runs make them too, so a home counts as left behind by a test only if its keyring holds that
/// test's marker (a user ID only that test's keys carry).
enum PrivateGnuPGHomes {
    static func all() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [])
            .filter { $0.hasPrefix("rktgpg.") }.map { "/tmp/\($0)" }
    }

    /// The private homes whose files mention `marker`.
    static func holding(_ marker: String) -> [String] {
        let needle = Data(marker.utf8)
        return all().filter { home in
            guard let enumerator = FileManager.default.enumerator(atPath: home) else { return false }
            for case let name as String in enumerator {
                if let data = FileManager.default.contents(atPath: "\(home)/\(name)"), data.range(of: needle) != nil { return true }
            }
            return false
        }
    }
}

/// A trust store of the test's own (`--local-config` / `--system-config` directories).
struct TestTrustStore {
    let local: String
    let system: String

    init(_ scratch: Scratch, name: String = "store") {
        local = scratch.path("\(name)/local")
        system = scratch.path("\(name)/system")
    }

    var arguments: [String] { ["--local-config", local, "--system-config", system] }

    enum Layer { case local, system }

    /// The directory of a scope: `prefix.d/PREFIX`, or `root.d` for nil.
    func directory(_ prefix: String?, layer: Layer = .local) -> String {
        "\(layer == .local ? local : system)/trustedkeys/\(prefix.map { "prefix.d/\($0)" } ?? "root.d")"
    }

    /// Writes a key file by hand, the way a vendor or an administrator would: `contents` under the
    /// name `fileName` (the key's fingerprint, or another name to test the check).
    @discardableResult
    func place(_ contents: Data, prefix: String?, layer: Layer = .local, fileName: String) throws -> String {
        let directory = directory(prefix, layer: layer)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = "\(directory)/\(fileName)"
        try contents.write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// `8B86 DE38 890D DB72 9186  7B02 5210 BD88 8818 2190`: how rkt shows a fingerprint.
func groupedFingerprint(_ fingerprint: String) -> String {
    let upper = Array(fingerprint.uppercased())
    let groups = stride(from: 0, to: upper.count, by: 4).map { String(upper[$0..<min($0 + 4, upper.count)]) }
    return groups[..<(groups.count / 2)].joined(separator: " ") + "  " + groups[(groups.count / 2)...].joined(separator: " ")
}
