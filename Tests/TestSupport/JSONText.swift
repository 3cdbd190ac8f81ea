import AppcSchema

/// Decodes `text` as `T`, for tests of documents that must be valid.
package func decoded<T: JSONRepresentable>(_ type: T.Type, _ text: String) throws -> T {
    try T.decode(Array(text.utf8))
}

/// The compact encoding as text.
package func compactText<T: JSONRepresentable>(_ value: T) -> String {
    String(decoding: value.compactJSON, as: UTF8.self)
}
