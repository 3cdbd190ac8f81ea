/// Applies every layer of an image, in order, to a directory (see `LayerApplier`).
public enum ImageFlattener {
    public static func flatten(_ image: SourceImage, into directory: String, allowDevices: Bool = false) throws {
        let applier = try LayerApplier(root: directory)
        applier.allowDevices = allowDevices
        for layer in image.layers {
            do {
                try applier.apply(try layer.open(), name: layer.name)
            } catch {
                throw LayerError.inLayer(name: layer.name, error: error)
            }
        }
    }
}
