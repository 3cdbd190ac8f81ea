import Foundation

/// One request as testdata/fetch/server.py logged it.
package struct ServedRequest: Decodable, CustomStringConvertible, Sendable {
    package var method: String
    package var path: String
    package var range: String?
    package var if_range: String?
    package var if_none_match: String?
    package var authorization: String?
    package var status: Int?
    package var sent: Int
    package var dropped: Bool?

    package var description: String {
        "\(method) \(path) → \(status.map(String.init) ?? "-") (\(sent) bytes\(range.map { ", Range: \($0)" } ?? "")\(if_none_match.map { ", If-None-Match: \($0)" } ?? "")\(dropped == true ? ", dropped" : ""))"
    }
}
