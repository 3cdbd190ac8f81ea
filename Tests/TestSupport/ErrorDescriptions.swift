import AppcSchema

/// The description of the error decoding `text` as `T` throws (`path: message`), or nil when
/// the document decodes.
package func decodingError<T: JSONRepresentable>(_ type: T.Type, _ text: String) -> String? {
    do {
        _ = try T.decode(Array(text.utf8))
        return nil
    } catch {
        return "\(error)"
    }
}

/// The description of the error `body` throws, or nil when it returns.
package func thrownError<T>(_ body: () throws -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return "\(error)"
    }
}

/// The description of an error `#expect(throws:)` caught, or `no error` (for message checks
/// that stay true whatever type the error has).
package func described(_ error: (any Error)?) -> String {
    error.map { "\($0)" } ?? "no error"
}
