/// A table printed with columns aligned by spaces (like Go's tabwriter), header first.
public struct TextTable {
    private var rows: [[String]]

    public init(header: [String]) { rows = [header] }

    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The rows, columns separated by at least three spaces, each line ending in a newline.
    public func render() -> String {
        let widths = rows.reduce(into: [Int]()) { widths, row in
            for (column, cell) in row.enumerated() {
                if column >= widths.count { widths.append(0) }
                widths[column] = max(widths[column], cell.count)
            }
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - cell.count + 3)
            }.joined()
        }.joined(separator: "\n") + "\n"
    }
}
