import Glibc

/// The raw bytes behind an `ArchiveReader`: a prefix already read, then a descriptor; or, for an
/// indexed gzip file, its members decompressed in parallel. When the content is expected to have
/// a size and digest, every raw byte is counted and hashed on the way, and a mismatch fails the read.
final class ArchiveSource {
    let fileDescriptor: Int32
    let name: String
    private var prefix: [UInt8]
    private let gunzip: ParallelGunzip?
    private var block: ParallelGunzip.Block?
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
    private let expected: ExpectedContent?
    private let hasher: ContentHasher?
    private var ended = false
    /// Raw (compressed) bytes consumed so far.
    private(set) var rawBytes: Int64 = 0
    /// The first failure, reported in place of libarchive's generic message.
    var error: Error?

    init(fileDescriptor: Int32, prefix: [UInt8], name: String, expected: ExpectedContent?) {
        self.fileDescriptor = fileDescriptor
        self.prefix = prefix
        self.name = name
        self.expected = expected
        hasher = expected.map { ContentHasher($0.algorithm) }
        if prefix.starts(with: [0x1F, 0x8B]), let members = IndexedGzip.members(of: fileDescriptor) {
            gunzip = ParallelGunzip(fileDescriptor: fileDescriptor, members: members, name: name)
        } else {
            gunzip = nil
        }
    }

    deinit { buffer.deallocate() }

    /// libarchive's read callback: points `pointer` at the next bytes and returns their count (0 at the end).
    func read(_ pointer: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        do {
            let chunk = try nextChunk()
            pointer.pointee = chunk.baseAddress.map(UnsafeRawPointer.init)
            return chunk.count
        } catch {
            self.error = error
            return -1
        }
    }

    /// libarchive's skip callback: seeks when nothing needs to see the skipped bytes and the file
    /// really has them (seeking past the end would hide a truncated archive).
    func skip(_ request: Int64) -> Int64 {
        guard gunzip == nil, hasher == nil, prefix.isEmpty else { return 0 }
        var info = stat()
        let position = lseek(fileDescriptor, 0, SEEK_CUR)
        guard position >= 0, fstat(fileDescriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
              Int64(position) + request <= Int64(info.st_size),
              lseek(fileDescriptor, off_t(request), SEEK_CUR) >= 0 else { return 0 }
        return request
    }

    /// Reads and checks whatever libarchive did not need (trailing padding, a missing footer's worth).
    func drain() throws {
        while try nextChunk().count > 0 {}
    }

    private func nextChunk() throws -> UnsafeRawBufferPointer {
        if ended { return UnsafeRawBufferPointer(start: nil, count: 0) }
        let chunk: UnsafeRawBufferPointer
        if let gunzip {
            block = try gunzip.nextBlock()
            if let block {
                block.compressed.withUnsafeBytes { account($0) }
                chunk = UnsafeRawBufferPointer(start: block.bytes.baseAddress, count: block.count)
            } else {
                chunk = UnsafeRawBufferPointer(start: nil, count: 0)
            }
        } else if !prefix.isEmpty {
            let count = prefix.count
            prefix.withUnsafeBytes { buffer.copyMemory(from: $0) }
            prefix = []
            chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            account(chunk)
        } else {
            let count = try FileIO.read(fileDescriptor, into: buffer, path: name)
            chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            account(chunk)
        }
        if let expected, rawBytes > expected.size {
            throw ContentMismatchError("\(expected.name): more than the \(expected.size) bytes its descriptor promises")
        }
        if chunk.count == 0 {
            ended = true
            try verify()
        }
        return chunk
    }

    private func account(_ bytes: UnsafeRawBufferPointer) {
        rawBytes += Int64(bytes.count)
        hasher?.update(bytes)
    }

    private func verify() throws {
        guard let expected, let hasher else { return }
        if rawBytes != expected.size {
            throw ContentMismatchError("\(expected.name): \(rawBytes) bytes, but its descriptor says \(expected.size) (truncated?)")
        }
        let actual = hasher.finalizeHex()
        if actual != expected.hex {
            throw ContentMismatchError("\(expected.name): digest mismatch (content is \(expected.algorithm.rawValue):\(actual))")
        }
    }
}
