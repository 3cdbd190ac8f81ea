import Foundation
import GRDB
import Synchronization

/// The SQLite index of the store (`cas/db/store.sqlite`, WAL): images and remotes. Many processes
/// may use it at once; a busy database is waited for, never reported as an error.
///
/// One connection per process (a command does one thing at a time), kept until the process
/// exits: closing it only costs time (GRDB's deinit goes through Foundation's NotificationCenter),
/// and every transaction is complete once committed. Opening it costs no write: GRDB's
/// `DatabasePool` would add a dummy transaction whenever the WAL file is empty (after every last
/// close), and the migrator is only run when a migration is missing.
final class StoreIndex: @unchecked Sendable {
    private let database: DatabaseQueue
    private let walPath: String
    private static let connections = Mutex<[String: DatabaseQueue]>([:])
    /// How long a busy database is waited for, in seconds.
    private static let busyTimeout = 60
    /// WAL frames (a page each) past which the WAL is checkpointed and truncated.
    private static let walFrameLimit = 32

    init(path: String) throws {
        walPath = path + "-wal"
        database = try Self.connections.withLock { open in
            if let connection = open[path] { return connection }
            let connection = try Self.connect(path)
            open[path] = connection
            return connection
        }
    }

    private static func connect(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(Self.busyTimeout))
        configuration.label = "rkt-store"
        // No table references another: no `PRAGMA foreign_keys` at every open.
        configuration.foreignKeysEnabled = false
        // WAL (persistent in the file; a no-op once set) with synchronous=NORMAL: never corrupt,
        // no fsync per transaction (a power cut may forget the last rows; their blobs are then
        // orphans `image gc` removes). Writes keep the WAL short: see `truncateLogIfLong`.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            // Processes opening a new store at once would race to switch it to WAL and to create
            // the schema: opening happens under a lock beside the database.
            let lock = try FileLock(path: path + ".lock", mode: .exclusive)
            let database = try DatabaseQueue(path: path, configuration: configuration)
            if try !database.read({ try migrator.hasCompletedMigrations($0) }) {
                try migrator.migrate(database)
            }
            withExtendedLifetime(lock) {}
            return database
        } catch {
            throw StoreError.indexUnavailable(path: path, cause: error)
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "images") { table in
                table.primaryKey("key", .text)
                table.column("name", .text).notNull().indexed()
                table.column("labels", .text).notNull()
                table.column("manifest", .blob).notNull()
                table.column("importTime", .integer).notNull()
                table.column("lastUsed", .integer).notNull()
                table.column("size", .integer).notNull()
                table.column("treeStoreSize", .integer).notNull().defaults(to: 0)
                table.column("latest", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "remotes") { table in
                table.primaryKey("url", .text)
                table.column("signatureURL", .text)
                table.column("etag", .text)
                table.column("blobKey", .text).notNull()
                table.column("cacheMaxAge", .integer).notNull().defaults(to: 0)
                table.column("downloadTime", .integer).notNull()
            }
        }
        return migrator
    }

    // Plain SQL throughout: GRDB's query interface would read the schema back (PRAGMA table_info,
    // index lists) in every process before its first query.

    func save(_ record: ImageRecord) throws {
        try write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO images (key, name, labels, manifest, importTime, lastUsed, size, treeStoreSize, latest)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.key, record.name, record.labels, record.manifest, record.importTime,
                                 record.lastUsed, record.size, record.treeStoreSize, record.latest])
        }
    }

    func save(_ record: RemoteRecord) throws {
        try write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO remotes (url, signatureURL, etag, blobKey, cacheMaxAge, downloadTime)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [record.url, record.signatureURL, record.etag, record.blobKey, record.cacheMaxAge, record.downloadTime])
        }
    }

    func image(_ key: String) throws -> ImageRecord? {
        try read { db in try ImageRecord.fetchOne(db, sql: "SELECT * FROM images WHERE key = ?", arguments: [key]) }
    }

    func images() throws -> [ImageRecord] {
        try read { db in try ImageRecord.fetchAll(db, sql: "SELECT * FROM images ORDER BY importTime") }
    }

    func images(named name: String) throws -> [ImageRecord] {
        try read { db in try ImageRecord.fetchAll(db, sql: "SELECT * FROM images WHERE name = ?", arguments: [name]) }
    }

    /// Keys starting with `prefix`, at most `limit` of them.
    func keys(withPrefix prefix: String, limit: Int) throws -> [String] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT key FROM images WHERE key >= ? AND key < ? ORDER BY key LIMIT ?",
                                arguments: [prefix, prefix + "\u{FFFF}", limit])
        }
    }

    func remote(_ url: String) throws -> RemoteRecord? {
        try read { db in try RemoteRecord.fetchOne(db, sql: "SELECT * FROM remotes WHERE url = ?", arguments: [url]) }
    }

    func deleteImage(_ key: String) throws {
        try write { db in
            try db.execute(sql: "DELETE FROM images WHERE key = ?", arguments: [key])
            try db.execute(sql: "DELETE FROM remotes WHERE blobKey = ?", arguments: [key])
        }
    }

    func touch(_ key: String, at time: Int64) throws {
        try write { db in try db.execute(sql: "UPDATE images SET lastUsed = ? WHERE key = ?", arguments: [time, key]) }
    }

    func setTreeStoreSize(_ key: String, _ size: Int64) throws {
        try write { db in try db.execute(sql: "UPDATE images SET treeStoreSize = ? WHERE key = ?", arguments: [size, key]) }
    }

    /// `PRAGMA integrity_check`: "ok" when the database file is sound.
    func integrityCheck() throws -> String {
        try read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer" }
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try database.read(body) } catch { throw StoreError.index(error) }
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        let result: T
        do { result = try database.write(body) } catch { throw StoreError.index(error) }
        truncateLogIfLong()
        return result
    }

    /// SQLite starts a WAL over only when the process writing to it has seen every frame
    /// checkpointed, and a process that opens the store reads and checksums every frame: written
    /// to by many short-lived processes, the WAL would never start over, and every command would
    /// pay for its growth. Past the limit it is checkpointed and truncated, unless another process
    /// is reading it just then: nobody waits, the next write tries again.
    private func truncateLogIfLong() {
        var info = stat()
        guard stat(walPath, &info) == 0, info.st_size > 32 + Self.walFrameLimit * (24 + 4096) else { return }
        try? database.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA busy_timeout = 0")
            defer { try? db.execute(sql: "PRAGMA busy_timeout = \(Self.busyTimeout * 1000)") }
            _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }
}
