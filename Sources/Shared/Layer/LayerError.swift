/// A layer that cannot be applied or checked, and why.
public enum LayerError: Error, Sendable, CustomStringConvertible {
    /// `error` while applying the layer `name`.
    case inLayer(name: String, error: any Error)
    /// An entry of the layer `layer` that is refused or cannot be written.
    case entry(layer: String, path: String, reason: String)
    /// The layer decompressed to `uncompressed` bytes from `raw`, past the allowed ratio.
    case decompressionBomb(uncompressed: Int64, raw: Int64)
    /// The kernel lacks openat2(2), without which paths cannot be kept inside the root.
    case noRootedResolution
    /// A path of a lower layer that could not be removed to make way.
    case cannotReplace(path: String, error: any Error)
    /// A system call on a written file failed (owner, mode, extended attributes).
    case system(SystemCallError)

    public var description: String {
        switch self {
        case .inLayer(let name, let error):
            // The name is prefixed unless the message already starts with it (a layer's reader
            // names its errors after the layer).
            prefixed(name, error)
        case .entry(let layer, let path, let reason): "\(layer): entry \(quoted(path)): \(reason)"
        case .decompressionBomb(let uncompressed, let raw):
            "the layer expands more than \(LayerApplier.maximumExpansion)× (\(uncompressed >> 20) MiB from \(raw >> 10) KiB): refusing a decompression bomb"
        case .noRootedResolution: "this kernel has no openat2(2) (Linux 5.6 or later is needed to unpack layers safely)"
        case .cannotReplace(let path, let error): "cannot replace \(path): \(error)"
        case .system(let error): "\(error)"
        }
    }
}
