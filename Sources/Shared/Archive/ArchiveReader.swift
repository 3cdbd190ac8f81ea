import CArchive
import Glibc

/// Streams the members of a tar archive (compressed with gzip, bzip2, xz, zstd or not at all)
/// through libarchive. Memory stays bounded whatever the archive's size; data is read member by
/// member with `copyData(to:)`, `readAll(limit:)`, `discardData()` or `skipData()`.
///
/// A verified tar (one read with an `ExpectedContent`) may lack the end-of-archive footer and
/// the padding after its last member, as `umoci insert` writes them: once the last member's
/// data is complete and every raw byte has matched the expected digest, the digest vouches for
/// the content and the archive ends there. A member cut short still fails.
public final class ArchiveReader {
    /// How archive bytes are interpreted.
    public enum Format: Sendable {
        /// A tar archive (ustar, pax, GNU).
        case tar
        /// Any byte stream, decompressed if compressed; one member named `data`.
        case raw
    }

    /// What the reader reads from (used in messages).
    public let name: String
    private let archive: OpaquePointer
    private let format: Format
    private let source: ArchiveSource
    private var entry: OpaquePointer?
    /// The current member's size and the bytes of its data read so far.
    private var entrySize: Int64 = 0
    private var entryBytesRead: Int64 = 0
    /// The archive ended after a complete last member without footer or padding.
    private var endedWithoutFooter = false
    private let ownedDescriptor: Int32?

    /// Reads from an open descriptor (not closed by the reader). `prefix` holds bytes already
    /// read from it (for instance to sniff the content) that come first. With `expected`, the raw
    /// bytes must have that size and digest: call `finish()` after the last member to check the rest.
    public convenience init(fileDescriptor: Int32, prefix: [UInt8] = [], name: String, format: Format = .tar,
                            expected: ExpectedContent? = nil, ownsDescriptor: Bool = false) throws {
        try self.init(source: ArchiveSource(fileDescriptor: fileDescriptor, prefix: prefix, name: name, expected: expected),
                      name: name, format: format, ownedDescriptor: ownsDescriptor ? fileDescriptor : nil)
    }

    /// Reads the archive held in the current member of `outer` (a compressed layer read with
    /// format `.raw`, say), verified when `outer` is. `copy` sees every byte of that member on the
    /// way (a hasher of the uncompressed content); `eachChunk` runs after each chunk of it is read.
    public convenience init(dataOf outer: ArchiveReader, name: String, format: Format = .tar, copy: ByteSink? = nil,
                            eachChunk: @escaping () throws -> Void = {}) throws {
        let stream = { (buffer: UnsafeMutableRawBufferPointer) throws -> Int in
            let count = try outer.read(into: buffer)
            try eachChunk()
            try copy?.write(UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            return count
        }
        try self.init(source: ArchiveSource(stream: stream, name: name, verified: outer.source.isVerified), name: name,
                      format: format, ownedDescriptor: nil)
    }

    private init(source: ArchiveSource, name: String, format: Format, ownedDescriptor: Int32?) throws {
        self.name = name
        self.format = format
        self.ownedDescriptor = ownedDescriptor
        self.source = source
        guard let archive = archive_read_new() else { throw ArchiveError.cannotAllocate(archive: name, what: "an archive reader") }
        self.archive = archive
        archive_read_support_filter_all(archive)
        switch format {
        case .tar: archive_read_support_format_tar(archive)
        case .raw:
            archive_read_support_format_raw(archive)
            archive_read_support_format_empty(archive)
        }
        let status = archive_read_open2(
            archive, Unmanaged.passUnretained(source).toOpaque(), nil,
            { _, client, pointer in Unmanaged<ArchiveSource>.fromOpaque(client!).takeUnretainedValue().read(pointer!) },
            { _, client, request in Unmanaged<ArchiveSource>.fromOpaque(client!).takeUnretainedValue().skip(request) },
            nil)
        // On failure, deinit frees the archive and closes an owned descriptor.
        if status != ARCHIVE_OK {
            throw source.error.map { ArchiveError.reading(archive: name, error: $0) } ?? ArchiveError.libarchive(step: name, reason: Self.message(archive))
        }
    }

    deinit {
        archive_read_free(archive)
        if let ownedDescriptor { close(ownedDescriptor) }
    }

    /// The next member, or nil at the end of the archive.
    public func next() throws -> ArchiveEntry? {
        if entry != nil && entryBytesRead < entrySize { try skipData() }
        if endedWithoutFooter {
            entry = nil
            return nil
        }
        var next: OpaquePointer?
        let status = archive_read_next_header(archive, &next)
        switch status {
        case ARCHIVE_EOF:
            // libarchive ignores some failed reads at the end (after a gzip member): ours stick.
            if let error = source.error { throw ArchiveError.reading(archive: name, error: error) }
            entry = nil
            return nil
        case ARCHIVE_OK, ARCHIVE_WARN:
            entry = next
            entrySize = archive_entry_size(next!)
            entryBytesRead = 0
            return ArchiveEntry(reading: next!)
        default:
            throw failure("reading archive")
        }
    }

    /// Copies the current member's data (what is left of it) to `sink`, which is not finished;
    /// `eachChunk` runs after each chunk is read and before it is written (to refuse a
    /// decompression bomb, to notice an interruption). Returns the number of bytes copied.
    @discardableResult
    public func copyData(to sink: ByteSink, eachChunk: () throws -> Void = {}) throws -> Int64 {
        var total: Int64 = 0
        try withChunk { chunk in
            while true {
                let count = try read(into: chunk)
                if count == 0 { return }
                try eachChunk()
                try sink.write(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
                total += Int64(count)
            }
        }
        return total
    }

    /// Reads the current member's data to its end and drops it. Unlike `skipData()`, every byte
    /// is decompressed and checked, so a corrupted or truncated stream fails here.
    public func discardData() throws {
        try withChunk { chunk in
            while try read(into: chunk) > 0 {}
        }
    }

    /// Runs `body` with a scratch buffer of one chunk.
    private func withChunk(_ body: (UnsafeMutableRawBufferPointer) throws -> Void) throws {
        let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: FileIO.chunkSize, alignment: 16)
        defer { chunk.deallocate() }
        try body(chunk)
    }

    /// Reads the current member's data; 0 at its end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if endedWithoutFooter { return 0 }
        // Asking for no more than the member holds: archive_read_data drops what it has copied
        // when reading past the data fails (as it does on a missing padding).
        let remaining = entrySize - entryBytesRead
        let request = remaining > 0 ? min(buffer.count, Int(clamping: remaining)) : buffer.count
        let count = archive_read_data(archive, buffer.baseAddress, request)
        if count > 0 {
            entryBytesRead += Int64(count)
            return count
        }
        if count == 0 {
            // libarchive ignores some failed reads at the end (after a gzip member): ours stick.
            if let error = source.error { throw ArchiveError.reading(archive: name, error: error) }
            return 0
        }
        if endsWithoutFooter() { return 0 }
        throw failure("reading data")
    }

    /// Whether a failure after the current member's data is only the missing padding and footer of
    /// a verified tar: the member is complete and all raw bytes were read and matched.
    private func endsWithoutFooter() -> Bool {
        guard format == .tar, source.isVerified, entry != nil, entryBytesRead == entrySize,
              source.error == nil, source.ended else { return false }
        endedWithoutFooter = true
        return true
    }

    /// Reads all of the current member's data, refusing more than `limit` bytes.
    public func readAll(limit: Int) throws -> [UInt8] {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: FileIO.chunkSize)
        while true {
            let count = try chunk.withUnsafeMutableBytes { try read(into: $0) }
            if count == 0 { return result }
            if result.count + count > limit { throw ArchiveError.memberTooLarge(archive: name, limit: limit) }
            result.append(contentsOf: chunk[..<count])
        }
    }

    /// Skips the current member's data (decompressing it when the archive is compressed). A verified
    /// archive's data is read anyway (every byte is hashed), and reading tells a complete last member.
    public func skipData() throws {
        if source.isVerified {
            try discardData()
        } else if archive_read_data_skip(archive) != ARCHIVE_OK {
            throw failure("skipping data")
        }
        entryBytesRead = entrySize
    }

    /// Reads what is left of the raw input after the last member and checks the expected size
    /// and digest, if any. Call it once the archive has been read to its end.
    public func finish() throws {
        do {
            try source.drain()
        } catch {
            throw ArchiveError.reading(archive: name, error: error)
        }
    }

    /// Raw (compressed) bytes read so far, and the bytes they decompressed to.
    public var bytesRead: (raw: Int64, uncompressed: Int64) {
        (source.rawBytes, archive_filter_bytes(archive, 0))
    }

    /// The libarchive entry of the current member, for copying it to a writer verbatim.
    var currentEntry: OpaquePointer? { entry }

    private func failure(_ doing: String) -> ArchiveError {
        if let error = source.error { return ArchiveError.reading(archive: name, error: error) }
        return ArchiveError.libarchive(step: "\(name): \(doing)", reason: Self.message(archive))
    }

    private static func message(_ archive: OpaquePointer) -> String {
        archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
    }
}

extension ArchiveEntry {
    /// Reads the fields of a libarchive entry.
    init(reading entry: OpaquePointer) {
        let type: FileType
        if archive_entry_hardlink(entry) != nil {
            type = .hardlink
        } else {
            switch UInt32(archive_entry_filetype(entry)) {
            case rkt_ae_ifdir: type = .directory
            case rkt_ae_iflnk: type = .symlink
            case rkt_ae_ifchr: type = .characterDevice
            case rkt_ae_ifblk: type = .blockDevice
            case rkt_ae_ififo: type = .fifo
            case rkt_ae_ifsock: type = .socket
            default: type = .regular
            }
        }
        let path = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
        self.init(path: path, type: type, permissions: UInt32(archive_entry_perm(entry)),
                  size: archive_entry_size(entry), uid: archive_entry_uid(entry), gid: archive_entry_gid(entry),
                  userName: archive_entry_uname(entry).map { String(cString: $0) },
                  groupName: archive_entry_gname(entry).map { String(cString: $0) },
                  modificationTime: Int64(archive_entry_mtime(entry)))
        modificationTimeNanoseconds = Int(archive_entry_mtime_nsec(entry))
        switch type {
        case .hardlink: linkTarget = archive_entry_hardlink(entry).map { String(cString: $0) }
        case .symlink: linkTarget = archive_entry_symlink(entry).map { String(cString: $0) } ?? ""
        case .characterDevice, .blockDevice:
            deviceMajor = UInt32(archive_entry_rdevmajor(entry))
            deviceMinor = UInt32(archive_entry_rdevminor(entry))
        default: break
        }
        var attributes: [ExtendedAttribute] = []
        if archive_entry_xattr_reset(entry) > 0 {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            while archive_entry_xattr_next(entry, &name, &value, &size) == ARCHIVE_OK {
                guard let name else { continue }
                let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) } ?? []
                attributes.append(ExtendedAttribute(name: String(cString: name), value: bytes))
            }
        }
        extendedAttributes = attributes
    }
}
