import Glibc
import Logging

/// Checks an image file's detached signature against the keys the trust store trusts for the
/// image's name, logging the signer as rkt does (`image: signature verified:`).
struct SignatureCheck {
    let trustStore: TrustStore

    /// Accepts `file` (the bytes as downloaded or read) if `signature` was made for it by a key
    /// trusted for `name`.
    func verify(file: String, signature: [UInt8], name: ACIdentifier) throws {
        let opened = try FileDescriptor.open(file, O_RDONLY)
        let fd = opened.rawValue
        do {
            let keys = try trustStore.keys(for: name).map { SignatureVerifier.Key(contents: $0.contents, source: $0.path) }
            let verification = try SignatureVerifier.verifyDetached(signature: signature, fileDescriptor: fd, keys: keys)
            try KeySelection.trustStore(trustStore).check(verification, name: name)
            let log = Logger(label: "image")
            log.info("signature verified:")
            for userID in verification.signer.key.userIDs { log.info("  \(userID)") }
        } catch let error as SignatureError {
            throw FetchError.signature(image: name, error)
        } catch let error as ImageVerificationError {
            throw FetchError.verification(image: name, error)
        }
    }

    /// Before a big download: whether the signature was made by a key trusted for `name`
    /// (checked against no content, so only the signer's identity counts).
    func checkSigner(signature: [UInt8], name: ACIdentifier) throws {
        let empty = try TemporaryDirectory(prefix: "rkt-empty")
        try FileIO.writeFile("\(empty.path)/empty", [])
        do {
            try verify(file: "\(empty.path)/empty", signature: signature, name: name)
        } catch FetchError.signature(_, .bad) {
            return
        }
    }
}
