import CDeflate
import Dispatch
import Glibc

/// Decompresses the members of an indexed gzip file (`IndexedGzip`) on every core, handing the
/// data back in order. A few members are decoded ahead; memory stays bounded. Each member's CRC
/// and size are checked by libdeflate.
final class ParallelGunzip: @unchecked Sendable {
    private let fd: Int32
    private let members: [IndexedGzip.Member]
    private let name: String
    private let window: Int
    private var slots: [Int: Slot] = [:]
    private var next = 0

    /// One member being decoded.
    private final class Slot: @unchecked Sendable {
        let done = DispatchSemaphore(value: 0)
        var result: Result<Block, Error> = .failure(ArchiveError.notDecoded)
    }

    /// A member's decompressed data, in memory owned by the block (stable while it lives), and
    /// its compressed bytes (for callers that hash the raw stream).
    final class Block: @unchecked Sendable {
        let bytes: UnsafeMutableRawBufferPointer
        let count: Int
        let compressed: [UInt8]

        init(size: Int, compressed: [UInt8]) {
            bytes = .allocate(byteCount: max(size, 1), alignment: 16)
            count = size
            self.compressed = compressed
        }

        deinit { bytes.deallocate() }
    }

    init(fileDescriptor: Int32, members: [IndexedGzip.Member], name: String) {
        fd = fileDescriptor
        self.members = members
        self.name = name
        window = IndexedGzip.window
        for index in 0..<min(window, members.count) { schedule(index) }
    }

    /// The next member's data, or nil after the last.
    func nextBlock() throws -> Block? {
        guard next < members.count, let slot = slots.removeValue(forKey: next) else { return nil }
        slot.done.wait()
        if next + window < members.count { schedule(next + window) }
        next += 1
        return try slot.result.get()
    }

    private func schedule(_ index: Int) {
        let slot = Slot()
        slots[index] = slot
        let member = members[index]
        let (fd, name) = (self.fd, self.name)
        DispatchQueue.global().async {
            slot.result = Result { try Self.decode(member, fd: fd, name: name) }
            slot.done.signal()
        }
    }

    private static func decode(_ member: IndexedGzip.Member, fd: Int32, name: String) throws -> Block {
        var compressed = [UInt8](repeating: 0, count: member.length)
        var done = 0
        while done < member.length {
            let count = compressed.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress! + done, member.length - done, off_t(member.offset) + off_t(done))
            }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { throw SystemCallError("read", path: name) }
            done += count
        }
        let output = Block(size: member.uncompressedSize, compressed: compressed)
        guard let decompressor = libdeflate_alloc_decompressor() else { throw ArchiveError.outOfMemory(archive: name) }
        defer { libdeflate_free_decompressor(decompressor) }
        let status = compressed.withUnsafeBytes { source in
            libdeflate_gzip_decompress(decompressor, source.baseAddress, source.count, output.bytes.baseAddress,
                                       member.uncompressedSize, nil)
        }
        guard status == LIBDEFLATE_SUCCESS else {
            throw ArchiveError.corruptGzipMember(archive: name, offset: member.offset)
        }
        return output
    }
}
