/// A table printed with columns aligned (like Go's tabwriter), header first.
public struct TextTable {
    private var rows: [[String]]
    private let separator: Character

    /// `separator` pads the columns (spaces, or tabs as rkt's tabwriter does); no header when nil.
    public init(header: [String]?, separator: Character = " ") {
        rows = header.map { [$0] } ?? []
        self.separator = separator
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The rows, each line ending in a newline: with spaces, columns at least three apart; with
    /// tabs, padded to the next tab stop after the widest cell.
    public func render() -> String {
        if separator == "\t" { return renderTabbed() }
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

    private func renderTabbed() -> String {
        let widths = rows.reduce(into: [Int]()) { widths, row in
            for (column, cell) in row.enumerated() {
                if column >= widths.count { widths.append(0) }
                widths[column] = max(widths[column], (cell.count / 8 + 1) * 8)
            }
        }
        return rows.map { row in
            row.enumerated().map { column, cell in
                guard column < row.count - 1 else { return cell }
                let tabs = (widths[column] - cell.count + 7) / 8
                return cell + String(repeating: "\t", count: max(tabs, 1))
            }.joined()
        }.joined(separator: "\n") + (rows.isEmpty ? "" : "\n")
    }
}
