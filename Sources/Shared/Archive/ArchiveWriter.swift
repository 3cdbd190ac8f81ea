import CArchive

/// Writes a tar archive (ustar, with pax extensions only where a member needs them) to a sink,
/// compressed as asked. gzip is compressed in parallel (`ParallelGzipSink`); bzip2, xz and zstd
/// by libarchive. No padding is added after the end-of-archive marker.
public final class ArchiveWriter {
    private let archive: OpaquePointer
    private let sink: Output
    private let entry: OpaquePointer
    /// Where file data passes on its way in.
    private let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: FileIO.chunkSize, alignment: 16)

    public init(sink: ByteSink, compression: Compression, name: String) throws {
        let target: ByteSink = compression == .gzip ? ParallelGzipSink(downstream: sink) : sink
        self.sink = Output(sink: target)
        guard let archive = archive_write_new(), let entry = archive_entry_new() else {
            throw ArchiveError.cannotAllocate(archive: name, what: "an archive writer")
        }
        self.archive = archive
        self.entry = entry
        archive_write_set_format_pax_restricted(archive)
        switch compression {
        case .none, .gzip: archive_write_add_filter_none(archive)
        case .bzip2: archive_write_add_filter_bzip2(archive)
        case .xz: archive_write_add_filter_xz(archive)
        case .zstd: archive_write_add_filter_zstd(archive)
        }
        archive_write_set_bytes_per_block(archive, Int32(FileIO.chunkSize))
        archive_write_set_bytes_in_last_block(archive, 1)
        let status = archive_write_open2(
            archive, Unmanaged.passUnretained(self.sink).toOpaque(), nil,
            { _, client, buffer, length in Unmanaged<Output>.fromOpaque(client!).takeUnretainedValue().write(buffer, length) },
            nil, nil)
        if status != ARCHIVE_OK { throw failure("\(name): opening archive") }
    }

    deinit {
        archive_entry_free(entry)
        archive_write_free(archive)
        chunk.deallocate()
    }

    /// Writes a member's header; its data (for regular files, exactly `size` bytes) follows with `writeData`.
    public func writeHeader(_ member: ArchiveEntry) throws {
        archive_entry_clear(entry)
        member.copy(into: entry)
        if archive_write_header(archive, entry) < ARCHIVE_WARN { throw failure("writing \(member.path)") }
    }

    /// Copies the header of the member a reader is on, exactly as read, with a new size.
    func writeHeader(copyingFrom reader: ArchiveReader, size: Int64? = nil) throws {
        guard let current = reader.currentEntry else { throw ArchiveError.noMemberToCopy }
        if let size { archive_entry_set_size(current, size) }
        if archive_write_header(archive, current) < ARCHIVE_WARN {
            throw failure("writing \(archive_entry_pathname(current).map { String(cString: $0) } ?? "member")")
        }
    }

    /// Writes member data.
    public func writeData(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try writeData($0) }
    }

    /// Writes the data of the member `reader` is on as this member's data.
    public func writeData(copyingFrom reader: ArchiveReader) throws {
        try reader.copyData(to: MemberData(writer: self))
    }

    /// Writes `size` bytes read from the open file `fd` (`path` in messages) as member data;
    /// fails if the file holds fewer, as one that shrinks while it is archived does.
    public func writeData(readingFile fd: Int32, size: Int64, path: String) throws {
        var total: Int64 = 0
        while total < size {
            let count = try FileIO.read(fd, into: UnsafeMutableRawBufferPointer(rebasing: chunk[..<min(chunk.count, Int(size - total))]), path: path)
            if count == 0 { break }
            try writeData(UnsafeRawBufferPointer(rebasing: chunk[..<count]))
            total += Int64(count)
        }
        if total != size { throw ArchiveError.fileChangedSize(path: path) }
    }

    func writeData(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let written = archive_write_data(archive, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 { throw failure("writing data") }
            if written == 0 { throw ArchiveError.dataPastMemberSize }
            offset += written
        }
    }

    /// Writes the end-of-archive marker and flushes everything to the sink.
    public func finish() throws {
        if archive_write_close(archive) != ARCHIVE_OK { throw failure("closing archive") }
        try sink.sink.finish()
    }

    private func failure(_ doing: String) -> ArchiveError {
        if let error = sink.error { return ArchiveError.sink(step: doing, error: error) }
        let reason = archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
        return ArchiveError.libarchive(step: doing, reason: reason)
    }

    /// The current member's data as a sink, for copying from a reader.
    private final class MemberData: ByteSink {
        let writer: ArchiveWriter
        init(writer: ArchiveWriter) { self.writer = writer }
        func write(_ bytes: UnsafeRawBufferPointer) throws { try writer.writeData(bytes) }
        func finish() throws {}
    }

    /// Carries the sink and its first error through libarchive's C callback.
    private final class Output {
        let sink: ByteSink
        var error: Error?
        init(sink: ByteSink) { self.sink = sink }

        func write(_ buffer: UnsafeRawPointer?, _ length: Int) -> Int {
            do {
                try sink.write(UnsafeRawBufferPointer(start: buffer, count: length))
                return length
            } catch {
                self.error = error
                return -1
            }
        }
    }
}

extension ArchiveEntry {
    /// Fills a libarchive entry with these fields.
    func copy(into entry: OpaquePointer) {
        archive_entry_set_pathname(entry, path)
        let fileType: UInt32
        switch type {
        case .regular, .hardlink: fileType = rkt_ae_ifreg
        case .directory: fileType = rkt_ae_ifdir
        case .symlink: fileType = rkt_ae_iflnk
        case .characterDevice: fileType = rkt_ae_ifchr
        case .blockDevice: fileType = rkt_ae_ifblk
        case .fifo: fileType = rkt_ae_ififo
        case .socket: fileType = rkt_ae_ifsock
        }
        archive_entry_set_filetype(entry, fileType)
        archive_entry_set_perm(entry, mode_t(permissions & 0o7777))
        archive_entry_set_size(entry, type == .regular ? size : 0)
        archive_entry_set_uid(entry, uid)
        archive_entry_set_gid(entry, gid)
        if let userName { archive_entry_set_uname(entry, userName) }
        if let groupName { archive_entry_set_gname(entry, groupName) }
        archive_entry_set_mtime(entry, time_t(modificationTime), modificationTimeNanoseconds)
        switch type {
        case .symlink: archive_entry_set_symlink(entry, linkTarget ?? "")
        case .hardlink: archive_entry_set_hardlink(entry, linkTarget ?? "")
        case .characterDevice, .blockDevice:
            archive_entry_set_rdevmajor(entry, dev_t(deviceMajor))
            archive_entry_set_rdevminor(entry, dev_t(deviceMinor))
        default: break
        }
        for attribute in extendedAttributes {
            attribute.value.withUnsafeBytes { archive_entry_xattr_add_entry(entry, attribute.name, $0.baseAddress, $0.count) }
        }
    }
}
