import CGPGME
import Foundation

/// "Simple signing" of container images, as containers/image (skopeo, podman) does it: an
/// OpenPGP signed message whose payload says which manifest digest a docker reference names.
public enum SimpleSigning {
    public static let signatureType = "atomic container signature"

    /// The signed claim.
    public struct Claim: Sendable, Equatable {
        public var dockerReference: String
        public var manifestDigest: Digest
    }

    /// Signs the claim that `reference` is the image with `manifestDigest`; returns the binary signature.
    public static func sign(reference: String, manifestDigest: Digest, signer: DetachedSigner, timestamp: Int64) throws -> [UInt8] {
        let payload = JSONValue.object([
            "critical": .object([
                "identity": .object(["docker-reference": .string(reference)]),
                "image": .object(["docker-manifest-digest": .string(manifestDigest.description)]),
                "type": .string(signatureType),
            ]),
            "optional": .object(["creator": .string("rkt-sign \(SuiteVersion.current)"), "timestamp": .number(String(timestamp))]),
        ])
        return try signer.withContext { context in
            gpgme_set_armor(context.context, 0)
            let plain = try GnuPGData(JSONWriter.compact(payload))
            let message = try GnuPGData()
            try OpenPGPError.check(gpgme_op_sign(context.context, plain.handle, message.handle, GPGME_SIG_MODE_NORMAL), "sign")
            return try message.contents()
        }
    }

    /// Verifies a signature with `keys` and checks it claims `reference` for `manifestDigest`.
    public static func verify(signature: [UInt8], reference: String, manifestDigest: Digest,
                              keys: [SignatureVerifier.Key]) throws -> SignatureVerifier.Verification {
        let (verification, payload) = try SignatureVerifier.verifyAttached(message: signature, keys: keys)
        let claim: Claim
        do {
            claim = try parse(payload)
        } catch {
            throw SignatureError.malformed("not a container signature: \(error)")
        }
        guard claim.dockerReference == reference else {
            throw SignatureError.otherImage("it is for \(quoted(claim.dockerReference)), not \(quoted(reference))")
        }
        guard claim.manifestDigest == manifestDigest else {
            throw SignatureError.otherImage("it is for manifest \(claim.manifestDigest), not \(manifestDigest) (the image changed?)")
        }
        return verification
    }

    static func parse(_ payload: [UInt8]) throws -> Claim {
        let root = try JSONObjectReader(try JSONParser.parse(payload))
        guard let critical = try root.decode("critical", { try JSONObjectReader($0) }) else {
            throw JSONDecodingError("critical is required")
        }
        guard try critical.string("type") == signatureType else {
            throw JSONDecodingError("critical.type is not \(quoted(signatureType))")
        }
        guard let identity = try critical.decode("identity", { try JSONObjectReader($0) }),
              let reference = try identity.string("docker-reference") else {
            throw JSONDecodingError("critical.identity.docker-reference is required")
        }
        guard let image = try critical.decode("image", { try JSONObjectReader($0) }),
              let digest = try image.decode("docker-manifest-digest", as: Digest.self) else {
            throw JSONDecodingError("critical.image.docker-manifest-digest is required")
        }
        return Claim(dockerReference: reference, manifestDigest: digest)
    }
}
