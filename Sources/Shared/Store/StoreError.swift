/// A store operation that failed, and why.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    /// `image export` would replace a file without `--overwrite`.
    case outputFileExists
    /// `image extract` into `/`.
    case extractionIntoRoot
    /// `image extract` would replace a directory without `--overwrite`.
    case outputDirectoryExists
    /// The SQLite index at `path` could not be opened or migrated.
    case indexUnavailable(path: String, cause: any Error)
    /// A query or update of the index failed.
    case index(any Error)
    /// An image that expands more than `LayerApplier.maximumExpansion` times its compressed size.
    case decompressionBomb(image: String, uncompressed: Int64, compressed: Int64)
    /// A file that is not an app container image.
    case invalidImage(image: String, cause: any Error)
    /// An argument that is neither `sha512-…` nor an app string.
    case notAnImageReference(argument: String, cause: any Error)
    /// No stored image has the name and labels an argument asks for.
    case noImage(argument: String)
    /// An image ID with fewer than two hex digits.
    case imageIDTooShort(argument: String)
    /// An image ID with other characters than hex digits.
    case invalidImageID(argument: String)
    /// No stored image ID starts with the argument.
    case noImageID(argument: String)
    /// More than one stored image ID starts with the argument.
    case ambiguousImageID(argument: String)
    /// An image removed by `image rm` or `image gc` in another process since it was looked up.
    case removedMeanwhile(key: String)
    /// An image whose dependencies loop or nest too deep.
    case circularDependencies(image: String)
    /// A dependency that is not in the store.
    case missingDependency(dependency: ACIdentifier, image: String)

    public var description: String {
        switch self {
        case .outputFileExists:
            "output ACI file exists (try --overwrite)"
        case .extractionIntoRoot:
            "refusing to extract into /"
        case .outputDirectoryExists:
            "output directory exists (try --overwrite)"
        case .indexUnavailable(let path, let cause):
            "cannot open the store index \(path): \(cause)"
        case .index(let cause):
            "store index: \(cause)"
        case .decompressionBomb(let image, let uncompressed, let compressed):
            "\(image): expands more than \(LayerApplier.maximumExpansion)× (\(uncompressed >> 20) MiB from \(compressed >> 10) KiB): refusing a decompression bomb"
        case .invalidImage(let image, let cause):
            "\(image): invalid app container image: \(cause)"
        case .notAnImageReference(let argument, let cause):
            "\(quoted(argument)) is neither an image ID nor an image name: \(cause)"
        case .noImage(let argument):
            "no image found for \(quoted(argument))"
        case .imageIDTooShort(let argument):
            "image ID too short: \(quoted(argument))"
        case .invalidImageID(let argument):
            "invalid image ID: \(quoted(argument))"
        case .noImageID(let argument):
            "no image IDs found for \(quoted(argument))"
        case .ambiguousImageID(let argument):
            "ambiguous image ID: \(quoted(argument))"
        case .removedMeanwhile(let key):
            "image \(key) was removed from the store meanwhile (by image rm or gc): fetch it again"
        case .circularDependencies(let image):
            "image \(image) has circular or too deep dependencies"
        case .missingDependency(let dependency, let image):
            "dependency \(dependency) of \(image) is not in the store (fetch it first)"
        }
    }
}
