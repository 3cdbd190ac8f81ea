import CLISupport

/// How `rkt image list` prints: the chosen columns, sorted, as a tab-separated table or JSON.
struct ImageListing {
    enum Field: String, CaseIterable {
        case id, name, size, importtime, lastused

        var title: String {
            switch self {
            case .id: return "ID"
            case .name: return "NAME"
            case .size: return "SIZE"
            case .importtime: return "IMPORT TIME"
            case .lastused: return "LAST USED"
            }
        }
    }

    let fields: [Field]
    let sort: Field
    let descending: Bool

    init(fields: String, sort: String, order: String) throws {
        self.fields = try fields.split(separator: ",").map { name in
            guard let field = Field(rawValue: String(name).trimmingSpaces()) else {
                throw ValidationError("unknown field \(quoted(String(name))) (id, name, size, importtime, lastused)")
            }
            return field
        }
        guard let sortField = Field(rawValue: sort), sortField != .id else {
            throw ValidationError("--sort must be name, importtime, lastused or size")
        }
        guard order == "asc" || order == "desc" else { throw ValidationError("--order must be asc or desc") }
        self.sort = sortField
        descending = order == "desc"
    }

    /// The records in the asked order, each with its display name (made once, not per comparison).
    private func sorted(_ records: [ImageRecord]) -> [(record: ImageRecord, name: String)] {
        let ascending = records.map { (record: $0, name: Self.displayName($0)) }.sorted { a, b in
            switch sort {
            case .name: return a.name < b.name
            case .size: return a.record.size + a.record.treeStoreSize < b.record.size + b.record.treeStoreSize
            case .lastused: return a.record.lastUsed < b.record.lastUsed
            default: return a.record.importTime < b.record.importTime
            }
        }
        return descending ? ascending.reversed() : ascending
    }

    func table(_ records: [ImageRecord], legend: Bool, full: Bool) -> String {
        var table = TextTable(header: legend ? fields.map(\.title) : nil, separator: "\t")
        let now = WallClock.nanoseconds()
        for (record, name) in sorted(records) {
            table.add(fields.map { field in
                switch field {
                case .id: return full ? record.key : String(record.key.prefix(7 + 12))
                case .name: return name
                case .size: return full ? String(record.size + record.treeStoreSize) : ProgressBar.size(record.size + record.treeStoreSize)
                case .importtime: return full ? Timestamp.go(record.importTime) : Timestamp.relative(record.importTime, now: now)
                case .lastused: return full ? Timestamp.go(record.lastUsed) : Timestamp.relative(record.lastUsed, now: now)
                }
            })
        }
        return table.render()
    }

    func json(_ records: [ImageRecord], pretty: Bool) -> [UInt8] {
        let items: [JSONValue] = sorted(records).map { record, name in
            .object([
                "id": .string(record.key), "name": .string(name),
                "import_time": .number(String(record.importTime)), "last_used_time": .number(String(record.lastUsed)),
                "size": .number(String(record.size + record.treeStoreSize)),
            ])
        }
        return pretty ? JSONWriter.indented(.array(items), indent: "\t") : JSONWriter.compact(.array(items))
    }

    /// `name:version` when the image has a version label.
    static func displayName(_ record: ImageRecord) -> String {
        record.label("version").map { "\(record.name):\($0)" } ?? record.name
    }
}
