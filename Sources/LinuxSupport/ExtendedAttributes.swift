import CLinux
import Glibc

/// Reads a file's extended attributes without following symlinks, and sets them on an open file.
public enum ExtendedAttributes {
    /// All attributes of `path`, sorted by name; none when the file system has no support.
    public static func read(_ path: String) throws -> [ExtendedAttribute] {
        let size = rkt_llistxattr(path, nil, 0)
        if size < 0 {
            if errno == ENOTSUP || errno == ENODATA { return [] }
            throw SystemCallError("list extended attributes of", path: path)
        }
        if size == 0 { return [] }
        var list = [CChar](repeating: 0, count: size)
        let listed = rkt_llistxattr(path, &list, size)
        if listed < 0 { throw SystemCallError("list extended attributes of", path: path) }
        let names = list[..<listed].split(separator: 0).map { String(decoding: $0.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        var attributes: [ExtendedAttribute] = []
        for name in names.sorted() {
            let valueSize = rkt_lgetxattr(path, name, nil, 0)
            if valueSize < 0 {
                if errno == ENODATA { continue }
                throw SystemCallError("read extended attribute \(name) of", path: path)
            }
            var value = [UInt8](repeating: 0, count: valueSize)
            let read = rkt_lgetxattr(path, name, &value, valueSize)
            if read < 0 { throw SystemCallError("read extended attribute \(name) of", path: path) }
            attributes.append(ExtendedAttribute(name: name, value: Array(value[..<read])))
        }
        return attributes
    }

    /// Sets `attribute` on the open file `fd` (`path` in messages).
    public static func set(_ attribute: ExtendedAttribute, on fd: Int32, path: String) throws(SystemCallError) {
        let status = attribute.value.withUnsafeBytes { rkt_fsetxattr(fd, attribute.name, $0.baseAddress, $0.count) }
        if status != 0 { throw SystemCallError("set extended attribute \(attribute.name) on", path: path) }
    }
}
