import CGPGME

/// A GnuPG operation that failed: what was being done and GPGME's reason.
public struct OpenPGPError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) { self.description = description }

    /// An error from a GPGME status code.
    init(_ doing: String, _ code: gpgme_error_t) {
        description = "\(doing): \(String(cString: gpgme_strerror(code)))"
    }

    /// Throws unless `code` is success.
    static func check(_ code: gpgme_error_t, _ doing: @autoclosure () -> String) throws {
        if gpgme_err_code(code) != GPG_ERR_NO_ERROR { throw OpenPGPError(doing(), code) }
    }
}
