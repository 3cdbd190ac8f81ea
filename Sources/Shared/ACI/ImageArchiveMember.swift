/// A member of an image archive as the scanner hands it to its caller.
public enum ImageArchiveMember {
    /// The `manifest` member: its exact bytes and what they decode to.
    case manifest(bytes: [UInt8], manifest: ImageManifest)
    /// Any other member, with its data still unread (the caller may read it from the reader).
    case other(ArchiveEntry)
}
