import Glibc

/// Validates App Container files of any kind, detecting the kind from the content when not told:
/// image archives (tar, gzip, bzip2, xz, zstd), layout directories, image and pod manifests.
public enum ImageValidator {
    /// The kinds of file `validate` knows.
    public enum Kind: String, Sendable, CaseIterable {
        case appImage = "appimage"
        case layout
        case manifest
        case podManifest = "podmanifest"
        /// An OCI image layout (directory), OCI archive or docker-archive tar.
        case oci

        /// How a valid file of this kind is described (`valid app container image`).
        public var validDescription: String {
            switch self {
            case .appImage: return "valid app container image"
            case .layout: return "valid image layout"
            case .manifest: return "valid ImageManifest"
            case .podManifest: return "valid PodManifest"
            case .oci: return "valid OCI image"
            }
        }
    }

    /// Checks one file or directory; returns the kind it was validated as.
    /// `manifest` accepts image and pod manifests alike (told apart by `acKind`).
    public static func validate(_ path: String, as requested: Kind? = nil) throws -> Kind {
        var info = stat()
        if path != "-" && stat(path, &info) != 0 { throw SystemCallError("unable to access", path: path) }
        if path != "-" && info.st_mode & S_IFMT == S_IFDIR {
            if requested == .oci || (requested == nil && access("\(path)/oci-layout", F_OK) == 0) {
                return try validateOCI(path)
            }
            guard requested == nil || requested == .layout else {
                throw InvalidFileError("\(path) is a directory (wrong --type?)")
            }
            do {
                _ = try ImageLayout(directory: path)
            } catch {
                throw InvalidFileError("invalid image layout: \(error)")
            }
            return .layout
        }
        let input = try InputFile(path: path)
        var kind = try requested ?? detect(input)
        if kind == .appImage && requested == nil && path != "-" && (try? containsContainerImage(path)) == true { kind = .oci }
        switch kind {
        case .layout:
            throw InvalidFileError("not a directory (wrong --type?)")
        case .oci:
            return try validateOCI(path)
        case .appImage:
            do {
                _ = try ImageArchiveScanner.scan(try input.archiveReader())
            } catch {
                throw InvalidFileError("invalid app container image: \(error)")
            }
            return .appImage
        case .manifest, .podManifest:
            return try validateManifest(input, requested: kind)
        }
    }

    /// An OCI layout, OCI archive or docker-archive: every blob, descriptor, config and layer checked.
    private static func validateOCI(_ path: String) throws -> Kind {
        do {
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                try OCILayoutValidator.validate(path)
                return .oci
            }
            let staging = try TemporaryDirectory(prefix: "rkt-validate")
            try SourceImage.extractArchive(path, into: staging.path)
            if access("\(staging.path)/oci-layout", F_OK) == 0 {
                try OCILayoutValidator.validate(staging.path)
            } else {
                let image = try SourceImage.open(path, platform: Platform.host)
                for layer in image.layers {
                    let reader = try layer.open()
                    while try reader.next() != nil {}
                    try reader.finish()
                }
            }
            return .oci
        } catch {
            throw InvalidFileError("invalid OCI image: \(error)")
        }
    }

    /// Whether a tar archive is a container image rather than an ACI: its first member is not an
    /// ACI path (`manifest`, `rootfs…`).
    private static func containsContainerImage(_ path: String) throws -> Bool {
        let reader = try InputFile(path: path).archiveReader()
        while let entry = try reader.next() {
            let name = ArchivePath.clean(entry.path)
            if name == "." { continue }
            return !(name == "manifest" || name == "rootfs" || name.hasPrefix("rootfs/"))
        }
        return false
    }

    private static func detect(_ input: InputFile) throws -> Kind {
        switch Compression.sniff(input.head[...]) {
        case .compressed, .tar: return .appImage
        case .text: return .manifest
        case .unknown: throw InvalidFileError("unable to detect file type (try --type)")
        }
    }

    private static func validateManifest(_ input: InputFile, requested: Kind) throws -> Kind {
        let bytes: [UInt8]
        do {
            bytes = try input.readAll(limit: ImageManifest.maximumSize)
        } catch is FileTooLargeError {
            throw InvalidFileError("manifest is more than the \(ImageManifest.maximumSize / 1024) KiB limit")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw InvalidFileError("error unmarshaling manifest: malformed JSON: \(error)")
        }
        let kind: ACKind?
        do {
            kind = try JSONObjectReader(json).decode("acKind", as: ACKind.self)
        } catch {
            throw InvalidFileError("error unmarshaling manifest: \(error)")
        }
        switch kind {
        case .imageManifest?:
            if requested == .podManifest {
                throw InvalidFileError("invalid PodManifest: \(ACKind.mismatch(expected: .podManifest))")
            }
            do { _ = try ImageManifest(json: json) } catch { throw InvalidFileError("invalid ImageManifest: \(error)") }
            return .manifest
        case .podManifest?:
            do { _ = try PodManifest(json: json) } catch { throw InvalidFileError("invalid PodManifest: \(error)") }
            return .podManifest
        case nil:
            throw InvalidFileError("error unmarshaling manifest: acKind: missing (must be \"ImageManifest\" or \"PodManifest\")")
        }
    }
}

/// A file that is not valid, with the reason as the user should read it.
public struct InvalidFileError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
