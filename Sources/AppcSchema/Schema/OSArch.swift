/// The operating systems and architectures appc images may declare in their `os` and `arch`
/// labels (the reference's table), and the host's own pair.
public enum OSArch {
    /// Valid architectures per operating system, in the reference's order.
    public static let valid: [(os: String, arches: [String])] = [
        ("darwin", ["x86_64", "i386"]),
        ("freebsd", ["amd64", "i386", "arm"]),
        ("linux", ["amd64", "i386", "aarch64", "aarch64_be", "armv6l", "armv7l", "armv7b", "ppc64", "ppc64le", "s390x"]),
    ]

    /// The host, in appc names.
    public static var host: (os: String, arch: String) {
        #if arch(x86_64)
        return ("linux", "amd64")
        #elseif arch(arm64)
        return ("linux", "aarch64")
        #elseif arch(i386)
        return ("linux", "i386")
        #else
        return ("linux", "unknown")
        #endif
    }

    /// Checks an `os` label and, when `os` is present, the `arch` label against the table.
    public static func validate(os: String?, arch: String?) throws {
        guard let os else { return }
        guard let arches = valid.first(where: { $0.os == os })?.arches else {
            let names = valid.map(\.os).joined(separator: " ")
            throw JSONDecodingError("bad os \(quoted(os)) (must be one of: [\(names)])")
        }
        if let arch, !arches.contains(arch) {
            throw JSONDecodingError("bad arch \(quoted(arch)) for \(os) (must be one of: [\(arches.joined(separator: " "))])")
        }
    }

    /// The appc architecture name for an OCI/Go architecture (`arm64` → `aarch64`), or nil.
    public static func appcArch(fromGo arch: String, variant: String? = nil) -> String? {
        switch (arch, variant ?? "") {
        case ("amd64", _): return "amd64"
        case ("386", _): return "i386"
        case ("arm64", _): return "aarch64"
        case ("arm", "v7"), ("arm", "7"): return "armv7l"
        case ("arm", _): return "armv6l"
        case ("ppc64", _), ("ppc64le", _), ("s390x", _): return arch
        default: return nil
        }
    }

    /// The OCI/Go architecture and variant for an appc architecture (`aarch64` → `arm64`), or nil.
    public static func goArch(fromAppc arch: String) -> (arch: String, variant: String?)? {
        switch arch {
        case "amd64", "x86_64": return ("amd64", nil)
        case "i386": return ("386", nil)
        case "aarch64": return ("arm64", nil)
        case "armv6l": return ("arm", "v6")
        case "armv7l": return ("arm", "v7")
        case "ppc64", "ppc64le", "s390x": return (arch, nil)
        default: return nil
        }
    }
}
