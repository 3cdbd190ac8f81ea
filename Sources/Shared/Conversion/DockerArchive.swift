import Glibc

/// An image as `docker save` and `skopeo copy docker-archive:` write it: `manifest.json`
/// (`[{"Config", "RepoTags", "Layers"}]`), the config file and one tar per layer. Layers that are
/// plain tars are verified against the config's diff IDs.
enum DockerArchive {
    static func open(_ directory: TemporaryDirectory, tag: String?, source: String) throws -> SourceImage {
        let root = directory.path
        let manifestBytes = try FileIO.readFile("\(root)/manifest.json", limit: OCILayout.maximumDocumentSize)
        let entries: [JSONObjectReader]
        do {
            entries = try JSONParser.parse(manifestBytes).arrayValue { try JSONObjectReader($0) }
        } catch {
            throw OCILayoutError("\(source): manifest.json: \(error)")
        }
        let chosen: JSONObjectReader
        let reference: String?
        do {
            let tagged = try entries.map { (entry: $0, tags: try $0.array("RepoTags") { try $0.stringValue() } ?? []) }
            if let tag {
                guard let match = tagged.first(where: { $0.tags.contains(tag) || $0.tags.contains { $0.hasSuffix(":\(tag)") } }) else {
                    throw OCILayoutError("\(source) has no image tagged \(quoted(tag)) (tags: \(tagged.flatMap(\.tags).joined(separator: ", ")))")
                }
                chosen = match.entry
                reference = match.tags.first { $0 == tag || $0.hasSuffix(":\(tag)") }
            } else {
                guard tagged.count == 1 else {
                    throw OCILayoutError("\(source) holds \(tagged.count) images; choose one with ARCHIVE:TAG")
                }
                chosen = tagged[0].entry
                reference = tagged[0].tags.first
            }
        } catch let error as OCILayoutError {
            throw error
        } catch {
            throw OCILayoutError("\(source): manifest.json: \(error)")
        }
        guard let configName = try chosen.string("Config"), let layerNames = try chosen.array("Layers", { try $0.stringValue() }) else {
            throw OCILayoutError("\(source): manifest.json: Config and Layers are required")
        }
        let configBytes = try FileIO.readFile(try inside(root, configName, source), limit: OCILayout.maximumDocumentSize)
        let configHex = configName.split(separator: "/").last.map { $0.hasSuffix(".json") ? String($0.dropLast(5)) : String($0) } ?? ""
        if configHex.count == 64, ContentHasher.hex(.sha256, of: configBytes) != configHex {
            throw ContentMismatchError.notItsName(name: "\(source): config \(configName)")
        }
        let config: ImageConfig
        do {
            config = try ImageConfig.decode(configBytes)
        } catch {
            throw OCILayoutError("\(source): config \(configName): \(error)")
        }
        guard layerNames.count == config.diffIDs.count else {
            throw OCILayoutError("\(source): \(layerNames.count) layers but the config lists \(config.diffIDs.count) diff_ids")
        }
        let layers = try zip(layerNames, config.diffIDs).map { name, diffID in
            let path = try inside(root, name, source)
            return LayerSource(name: "layer \(name)") {
                let input = try InputFile(path: path)
                var expected: ExpectedContent?
                if case .tar = Compression.sniff(input.head[...]), let algorithm = diffID.verifiableAlgorithm {
                    var info = stat()
                    fstat(input.fileDescriptor, &info)
                    expected = ExpectedContent(size: Int64(info.st_size), algorithm: algorithm, hex: diffID.encoded, name: "layer \(name) (diff_id \(diffID))")
                }
                return try ArchiveReader(fileDescriptor: dup(input.fileDescriptor), prefix: input.head, name: "layer \(name)",
                                         expected: expected, ownsDescriptor: true)
            }
        }
        return SourceImage(config: config, configBytes: configBytes, layers: layers, reference: reference, temporary: directory)
    }

    /// A member path of the archive, refused if it climbs out.
    private static func inside(_ root: String, _ name: String, _ source: String) throws -> String {
        let clean = ArchivePath.clean(name)
        guard !clean.hasPrefix("/"), clean != "..", !clean.hasPrefix("../") else {
            throw OCILayoutError("\(source): manifest.json names \(quoted(name)), outside the archive")
        }
        return "\(root)/\(clean)"
    }
}
