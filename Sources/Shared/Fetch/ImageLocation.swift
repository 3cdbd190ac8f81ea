import Glibc

/// Where an image argument says to get the image from, interpreted as rkt does: an image ID, a
/// file, an http(s) URL, `docker://…`, `oci:PATH[:TAG]`, or an appc name to discover.
public enum ImageLocation: Sendable, Equatable {
    case imageID(String)
    case file(String)
    case url(String)
    case docker(String)
    case oci(String)
    case name(String)

    public init(_ argument: String) throws {
        let lowered = argument.lowercased()
        if argument.hasPrefix("sha512-") {
            self = .imageID(argument)
        } else if lowered.hasPrefix("docker://") {
            self = .docker(String(argument.dropFirst("docker://".count)))
        } else if lowered.hasPrefix("docker:") {
            self = .docker(String(argument.dropFirst("docker:".count)))
        } else if lowered.hasPrefix("oci:") {
            self = .oci(String(argument.dropFirst("oci:".count)))
        } else if lowered.hasPrefix("file://") {
            self = .file(String(argument.dropFirst("file://".count)))
        } else if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            let path = argument.prefix { $0 != "?" && $0 != "#" }
            guard path.hasSuffix(".aci") else {
                throw FetchError.notAnImageURL(argument: argument)
            }
            self = .url(argument)
        } else if argument.contains("://") {
            self = .name(argument)
        } else {
            var info = stat()
            if argument.hasPrefix("/") || (stat(argument, &info) == 0 && info.st_mode & S_IFMT == S_IFREG) {
                self = .file(argument)
            } else if argument.contains(":") {
                self = .name(argument)
            } else if argument.contains("./") || argument.hasSuffix(".aci") {
                self = .file(argument)
            } else {
                self = .name(argument)
            }
        }
    }
}
