import CDeflate
import Glibc

/// The gzip members `ParallelGzipSink` writes: ordinary RFC 1952 members whose header carries an
/// extra field (`FEXTRA`, subfield `RK`) with the member's total compressed size. Any gzip reader
/// reads them; a reader that knows the field can find every member without inflating and
/// decompress them in parallel (`ParallelGunzip`), as BGZF does for genomics files.
public enum IndexedGzip {
    /// Where one member lies in the file, and its uncompressed size (from the trailer).
    public struct Member: Sendable {
        public var offset: Int64
        public var length: Int
        public var uncompressedSize: Int
    }

    /// Bytes of a member header: 10 fixed, 2 for XLEN, 8 for the subfield.
    static let headerSize = 20

    /// How many members are compressed or decompressed ahead at once: twice the online CPUs
    /// (`sysconf`, not Foundation's `activeProcessorCount`, which reads cgroup files at every call).
    static var window: Int { 2 * max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1) }

    /// One complete member holding `input`, compressed at `level`.
    public static func member(_ input: UnsafeRawBufferPointer, compressor: OpaquePointer) -> [UInt8] {
        let bound = libdeflate_deflate_compress_bound(compressor, input.count)
        var output = [UInt8](repeating: 0, count: headerSize + bound + 8)
        let deflated = output.withUnsafeMutableBytes { target in
            libdeflate_deflate_compress(compressor, input.baseAddress, input.count,
                                        target.baseAddress! + headerSize, bound)
        }
        precondition(deflated > 0, "libdeflate: output larger than its own bound")
        let total = headerSize + deflated + 8
        let crc = libdeflate_crc32(0, input.baseAddress, input.count)
        let header: [UInt8] = [
            0x1F, 0x8B, 0x08, 0x04, 0, 0, 0, 0, 0, 0xFF, // magic, deflate, FEXTRA, no mtime, OS unknown
            8, 0, UInt8(ascii: "R"), UInt8(ascii: "K"), 4, 0, // XLEN = 8; subfield RK of 4 bytes
        ] + littleEndian(UInt32(total))
        output.replaceSubrange(0..<headerSize, with: header)
        output.replaceSubrange(headerSize + deflated..<total, with: littleEndian(crc) + littleEndian(UInt32(truncatingIfNeeded: input.count)))
        output.removeSubrange(total...)
        return output
    }

    /// The members of a whole file if every one of them carries the size field and they tile the
    /// file exactly; nil otherwise (then the file is read as an ordinary gzip stream).
    public static func members(of fd: Int32) -> [Member]? {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        let fileSize = Int64(info.st_size)
        var members: [Member] = []
        var offset: Int64 = 0
        var header = [UInt8](repeating: 0, count: headerSize)
        var trailer = [UInt8](repeating: 0, count: 4)
        while offset < fileSize {
            guard pread(fd, &header, headerSize, off_t(offset)) == headerSize,
                  header[0] == 0x1F, header[1] == 0x8B, header[2] == 0x08, header[3] == 0x04,
                  header[10] == 8, header[11] == 0, header[12] == UInt8(ascii: "R"), header[13] == UInt8(ascii: "K"),
                  header[14] == 4, header[15] == 0
            else { return nil }
            let length = Int(UInt32(header[16]) | UInt32(header[17]) << 8 | UInt32(header[18]) << 16 | UInt32(header[19]) << 24)
            guard length >= headerSize + 8, offset + Int64(length) <= fileSize,
                  pread(fd, &trailer, 4, off_t(offset + Int64(length) - 4)) == 4
            else { return nil }
            let size = Int(UInt32(trailer[0]) | UInt32(trailer[1]) << 8 | UInt32(trailer[2]) << 16 | UInt32(trailer[3]) << 24)
            members.append(Member(offset: offset, length: length, uncompressedSize: size))
            offset += Int64(length)
        }
        return members.isEmpty ? nil : members
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
    }
}
