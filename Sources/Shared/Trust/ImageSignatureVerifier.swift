import Glibc

/// Verifies an image file's detached signature against the keys trusted for the image's name.
/// The name comes from the caller or from the image's manifest; reading the manifest (a full scan
/// of the archive) runs on another core while GnuPG checks the signature.
public enum ImageSignatureVerifier {
    /// A verified image: its name (unknown only for a file verified against a keyring, which
    /// needs no name) and signer.
    public struct Result: Sendable {
        public var name: ACIdentifier?
        public var signer: SignatureVerifier.Signer
    }

    public static func verify(image: String, signature: String, name: ACIdentifier?, keys: KeySelection) throws -> Result {
        let signatureBytes: [UInt8]
        do {
            signatureBytes = try FileIO.readFile(signature, limit: 1 << 20)
        } catch let error as SystemCallError where error.code == ENOENT {
            throw ImageVerificationError.noSignature(signature)
        }
        // The name (from the manifest: a full scan of the archive) is read on the other core while GnuPG checks the signature.
        let scan = BackgroundValue { () throws -> ACIdentifier in
            if let name { return name }
            do {
                return try ImageArchiveScanner.scan(try InputFile(path: image).archiveReader()).manifest.name
            } catch {
                throw InvalidFileError("cannot read the image's name from its manifest (give --name): \(error)")
            }
        }
        let imageFile = try FileDescriptor.open(image, O_RDONLY)
        let imageFD = imageFile.rawValue
        let verification: SignatureVerifier.Verification
        do {
            verification = try SignatureVerifier.verifyDetached(signature: signatureBytes, fileDescriptor: imageFD, keys: try keys.candidates())
        } catch SignatureError.untrusted(let fingerprint) {
            throw ImageVerificationError.untrusted(name: try? scan.get(), fingerprint: fingerprint, keyring: keys.keyringPath)
        } catch let error as SignatureError {
            _ = try? scan.get()
            throw ImageVerificationError.signature(error)
        }
        // A keyring vouches for the file whatever it holds; the trust store needs the image's name.
        if keys.keyringPath != nil { return Result(name: try? scan.get(), signer: verification.signer) }
        let imageName = try scan.get()
        do {
            try keys.check(verification, name: imageName)
        } catch let error as SignatureError {
            throw ImageVerificationError.signature(error)
        }
        return Result(name: imageName, signer: verification.signer)
    }

    /// Verifies a simple-signing signature of the OCI image at `layout` (`LAYOUT[:TAG]`): it must
    /// vouch for `identity` and the image's manifest digest, signed by a key trusted for the name
    /// of `identity`'s repository.
    public static func verifyOCI(layout: String, identity: String, signature: String, keys: KeySelection) throws -> Result {
        let manifest = try OCIManifestDigest.resolve(layout)
        let reference = ImageReference(identity)
        let name = try ImageReference.appcName(reference.name ?? identity)
        let signatureBytes: [UInt8]
        do {
            signatureBytes = try FileIO.readFile(signature, limit: 1 << 20)
        } catch let error as SystemCallError where error.code == ENOENT {
            throw ImageVerificationError.noSignature(signature)
        }
        do {
            let verification = try SimpleSigning.verify(signature: signatureBytes, reference: identity, manifestDigest: manifest,
                                                        keys: try keys.candidates())
            try keys.check(verification, name: name)
            return Result(name: name, signer: verification.signer)
        } catch SignatureError.untrusted(let fingerprint) {
            throw ImageVerificationError.untrusted(name: name, fingerprint: fingerprint, keyring: keys.keyringPath)
        } catch let error as SignatureError {
            throw ImageVerificationError.signature(error)
        }
    }
}
