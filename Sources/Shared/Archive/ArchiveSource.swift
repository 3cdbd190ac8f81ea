import Glibc

/// The raw bytes behind an `ArchiveReader`: a prefix already read, then a descriptor; or, for an
/// indexed gzip file, its members decompressed in parallel; or what a function produces. When the content is expected to have
/// a size and digest, every raw byte is counted and hashed on the way, and a mismatch fails the read.
final class ArchiveSource {
    /// Fills a buffer with the next raw bytes and returns their count (0 at the end).
    typealias Stream = (UnsafeMutableRawBufferPointer) throws -> Int

    let fileDescriptor: Int32
    private let stream: Stream?
    private let streamVerifiesItself: Bool
    let name: String
    private var prefix: [UInt8]
    private let gunzip: ParallelGunzip?
    private var block: ParallelGunzip.Block?
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: FileIO.chunkSize, alignment: 16)
    private let expected: ExpectedContent?
    private let hasher: ContentHasher?
    /// Every raw byte has been read and, with an expectation, found to match it.
    private(set) var ended = false
    /// Raw (compressed) bytes consumed so far.
    private(set) var rawBytes: Int64 = 0
    /// The first failure, reported in place of libarchive's generic message. It sticks: libarchive
    /// may ignore a failed read (gzip does after a member's end), so every later read fails again.
    private(set) var error: Error?

    init(fileDescriptor: Int32, prefix: [UInt8], name: String, expected: ExpectedContent?) {
        self.fileDescriptor = fileDescriptor
        self.prefix = prefix
        self.name = name
        self.expected = expected
        hasher = expected.map { ContentHasher($0.algorithm) }
        stream = nil
        streamVerifiesItself = false
        if Self.startsWithGzipMagic(prefix, fileDescriptor), let members = IndexedGzip.members(of: fileDescriptor) {
            gunzip = ParallelGunzip(fileDescriptor: fileDescriptor, members: members, name: name)
        } else {
            gunzip = nil
        }
    }

    /// Reads what `stream` produces. `verified`: the stream checks its bytes against a digest
    /// itself and fails rather than end on content that does not match.
    init(stream: @escaping Stream, name: String, verified: Bool) {
        fileDescriptor = -1
        prefix = []
        self.name = name
        expected = nil
        hasher = nil
        gunzip = nil
        self.stream = stream
        streamVerifiesItself = verified
    }

    deinit { buffer.deallocate() }

    /// Whether the content starts with gzip's magic: in `prefix`, or when nothing was read yet, at
    /// the start of the file.
    private static func startsWithGzipMagic(_ prefix: [UInt8], _ fd: Int32) -> Bool {
        if !prefix.isEmpty { return prefix.starts(with: [0x1F, 0x8B]) }
        var magic: [UInt8] = [0, 0]
        return lseek(fd, 0, SEEK_CUR) == 0 && pread(fd, &magic, 2, 0) == 2 && magic == [0x1F, 0x8B]
    }

    /// Whether every byte is checked against an expected digest before the end is reported.
    var isVerified: Bool { expected != nil || streamVerifiesItself }

    /// libarchive's read callback: points `pointer` at the next bytes and returns their count (0 at the end).
    func read(_ pointer: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
        guard let chunk = try? nextChunk() else { return -1 }
        pointer.pointee = chunk.baseAddress.map(UnsafeRawPointer.init)
        return chunk.count
    }

    /// libarchive's skip callback: seeks when nothing needs to see the skipped bytes and the file
    /// really has them (seeking past the end would hide a truncated archive).
    func skip(_ request: Int64) -> Int64 {
        guard gunzip == nil, hasher == nil, stream == nil, prefix.isEmpty else { return 0 }
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

    /// The next raw bytes (none at the end); the first failure is kept and thrown again on every call.
    private func nextChunk() throws -> UnsafeRawBufferPointer {
        if let error { throw error }
        if ended { return UnsafeRawBufferPointer(start: nil, count: 0) }
        do {
            let chunk = try readChunk()
            if chunk.count == 0 {
                try verify()
                ended = true
            }
            return chunk
        } catch {
            // A member that fails to decode in a blob with a digest: say the content was changed
            // when it was (the digest is what the descriptor vouches for), else what broke.
            let reported = gunzip != nil && !(error is ContentMismatchError) ? wholeFileMismatch() ?? error : error
            self.error = reported
            throw reported
        }
    }

    /// The digest mismatch of the whole file against the expectation, if it does not match.
    /// Reads the file again from its start (nothing reads it after a failure); nil when it cannot.
    private func wholeFileMismatch() -> Error? {
        guard let expected, lseek(fileDescriptor, 0, SEEK_SET) == 0 else { return nil }
        let hasher = ContentHasher(expected.algorithm)
        guard (try? ReadAhead.forEach(fileDescriptor: fileDescriptor, path: name) { hasher.update($0) }) != nil else { return nil }
        let actual = hasher.finalizeHex()
        return actual == expected.hex ? nil : Self.digestMismatch(expected, actual: actual)
    }

    private static func digestMismatch(_ expected: ExpectedContent, actual: String) -> ContentMismatchError {
        ContentMismatchError.digestMismatch(name: expected.name, actual: "\(expected.algorithm.rawValue):\(actual)")
    }

    private func readChunk() throws -> UnsafeRawBufferPointer {
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
        } else if let stream {
            let count = try stream(buffer)
            chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            account(chunk)
        } else {
            let count = try FileIO.read(fileDescriptor, into: buffer, path: name)
            chunk = UnsafeRawBufferPointer(rebasing: buffer[..<count])
            account(chunk)
        }
        if let expected, rawBytes > expected.size {
            throw ContentMismatchError.tooLarge(name: expected.name, promised: expected.size)
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
            throw ContentMismatchError.truncated(name: expected.name, actual: rawBytes, promised: expected.size)
        }
        let actual = hasher.finalizeHex()
        if actual != expected.hex {
            throw Self.digestMismatch(expected, actual: actual)
        }
    }
}
