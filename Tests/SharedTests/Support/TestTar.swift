import Shared

/// Test tars written with the suite's own archive writer.
enum TestTar {
    /// A plain (or gzip) tar of `members`, written with the suite's own archive writer.
    static func bytes(_ members: [TestTarMember], compression: Compression = .none) throws -> [UInt8] {
        let sink = MemorySink()
        let writer = try ArchiveWriter(sink: sink, compression: compression, name: "test layer")
        for member in members {
            try writer.writeHeader(member.entry)
            if !member.content.isEmpty { try writer.writeData(member.content) }
        }
        try writer.finish()
        return sink.bytes
    }
}
