import CGPGME

/// A GPGME data buffer: from memory, from a file descriptor, or empty to receive output.
final class GnuPGData {
    let handle: gpgme_data_t
    private var retained: [UInt8]?

    /// An empty buffer for output.
    init() throws {
        var data: gpgme_data_t?
        try OpenPGPError.check(gpgme_data_new(&data), "allocate GPGME data")
        handle = data!
    }

    /// A copy of `bytes`.
    init(_ bytes: [UInt8]) throws {
        var data: gpgme_data_t?
        try OpenPGPError.check(bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { gpgme_data_new_from_mem(&data, $0.baseAddress, buffer.count, 1) }
        }, "allocate GPGME data")
        handle = data!
    }

    /// The content of an open descriptor, read as GPGME needs it (not closed here).
    init(fileDescriptor: Int32) throws {
        var data: gpgme_data_t?
        try OpenPGPError.check(gpgme_data_new_from_fd(&data, fileDescriptor), "read file data")
        handle = data!
        // GPGME feeds gpg 4 KiB at a time by default: 1 MiB writes cut the system calls 250-fold.
        gpgme_data_set_flag(handle, "io-buffer-size", "1048576")
    }

    deinit { gpgme_data_release(handle) }

    /// Everything written to the buffer.
    func contents() throws -> [UInt8] {
        gpgme_data_seek(handle, 0, SEEK_SET)
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: FileIO.chunkSize)
        while true {
            let count = chunk.withUnsafeMutableBytes { gpgme_data_read(handle, $0.baseAddress, $0.count) }
            if count < 0 { throw OpenPGPError("reading GPGME output failed") }
            if count == 0 { return result }
            result.append(contentsOf: chunk[..<count])
        }
    }
}
