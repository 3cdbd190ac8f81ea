import CDeflate
import Dispatch
import Foundation

/// A gzip compressor that uses every core: the stream is cut into 128 KiB blocks, each compressed
/// on its own (libdeflate, level 6) into a complete gzip member, and the members are written in
/// order. Small members let a reader start on the data sooner, for under 2% more bytes.
/// Concatenated gzip members are one valid gzip stream (RFC 1952), read by gzip, zlib, libarchive
/// and Go alike; each member records its size (`IndexedGzip`) so our readers can decompress in
/// parallel too. The output depends only on the input, never on timing.
public final class ParallelGzipSink: ByteSink, @unchecked Sendable {
    public static let blockSize = 1 << 17
    public static let level: Int32 = 6

    private let downstream: ByteSink
    private var block: [UInt8] = []
    private let lock = NSLock()
    private let slots: DispatchSemaphore
    private let group = DispatchGroup()
    private var nextToSubmit = 0
    private var nextToWrite = 0
    private var finished: [Int: [UInt8]] = [:]
    private var failure: Error?

    public init(downstream: ByteSink) {
        self.downstream = downstream
        slots = DispatchSemaphore(value: IndexedGzip.window)
        block.reserveCapacity(Self.blockSize)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let take = min(Self.blockSize - block.count, bytes.count - offset)
            block.append(contentsOf: bytes[offset..<offset + take])
            offset += take
            if block.count == Self.blockSize { try submit() }
        }
    }

    public func finish() throws {
        if !block.isEmpty || nextToSubmit == 0 { try submit() }
        group.wait()
        try lock.withLock { if let failure { throw failure } }
        try downstream.finish()
    }

    private func submit() throws {
        try lock.withLock { if let failure { throw failure } }
        slots.wait()
        let input = block
        let index = nextToSubmit
        nextToSubmit += 1
        block = []
        block.reserveCapacity(Self.blockSize)
        DispatchQueue.global().async(group: group) { [self] in
            let output = Self.compress(input)
            lock.withLock {
                finished[index] = output
                flushReady()
            }
        }
    }

    /// Writes, in order, every compressed block that is ready. Called with the lock held.
    private func flushReady() {
        while let output = finished.removeValue(forKey: nextToWrite) {
            nextToWrite += 1
            if failure == nil {
                do {
                    try output.withUnsafeBytes { try downstream.write($0) }
                } catch {
                    failure = error
                }
            }
            slots.signal()
        }
    }

    private static func compress(_ input: [UInt8]) -> [UInt8] {
        guard let compressor = libdeflate_alloc_compressor(level) else { fatalError("libdeflate: out of memory") }
        defer { libdeflate_free_compressor(compressor) }
        return input.withUnsafeBytes { IndexedGzip.member($0, compressor: compressor) }
    }
}
