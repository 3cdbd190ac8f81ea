import Foundation
import Shared
import Testing

@Suite("Image store index")
struct StoreIndexTests {
    @Test("the index's WAL is checkpointed as it goes: after 300 writes it holds a few dozen pages, not hundreds")
    func writeAheadLogStaysSmall() throws {
        let directory = try TemporaryDirectory(prefix: "rkt-store-unit")
        let store = try ImageStore(dataDirectory: directory.path)
        let tree = try store.stagingDirectory()
        try FileManager.default.createDirectory(atPath: "\(tree.path)/rootfs/etc", withIntermediateDirectories: true)
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: "\(tree.path)/rootfs/etc/x"))
        let manifest = try ImageManifest.decode(Array(#"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/wal"}"#.utf8))
        let record = try store.importTree(tree.path, manifest: manifest)
        for _ in 0..<300 { try store.touch(record.key) }
        // Every process that opens the store first reads and checksums each WAL frame written
        // since the last checkpoint; SQLite's default (1,000 pages) would leave 300 here.
        let wal = try FileManager.default.attributesOfItem(atPath: "\(directory.path)/cas/db/store.sqlite-wal")
        let frames = ((wal[.size] as? Int) ?? 0) / (4096 + 24)
        #expect(frames <= 64)
        #expect(try store.integrityCheck() == "ok")
        #expect(try store.image(key: record.key) != nil)
    }
}
