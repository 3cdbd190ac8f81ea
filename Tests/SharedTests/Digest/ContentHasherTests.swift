import Foundation
import Shared
import TestSupport
import Testing

@Suite("digest: SHA-2 through libcrypto")
struct ContentHasherTests {
    @Test("the digests of \"abc\" are the FIPS 180-2 test vectors", arguments: [
        (DigestAlgorithm.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (.sha384, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
        (.sha512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"),
    ])
    func knownVectors(_ algorithm: DigestAlgorithm, _ hex: String) {
        #expect(ContentHasher.hex(algorithm, of: Array("abc".utf8)) == hex)
        #expect(hex.count == algorithm.hexLength)
    }

    @Test("nothing hashed gives the digest of the empty string")
    func empty() {
        let hasher = ContentHasher(.sha256)
        hasher.update([])
        #expect(hasher.count == 0)
        #expect(hasher.finalizeHex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test("hashing in pieces of any size gives the digest of the whole, and counts every byte")
    func streaming() {
        let bytes = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        let whole = ContentHasher.hex(.sha512, of: bytes)
        for piece in [1, 7, 4096, 65_537] {
            let hasher = ContentHasher(.sha512)
            for start in stride(from: 0, to: bytes.count, by: piece) {
                hasher.update(Array(bytes[start..<min(start + piece, bytes.count)]))
            }
            #expect(hasher.count == Int64(bytes.count))
            #expect(hasher.finalizeHex() == whole, "pieces of \(piece) bytes")
        }
    }

    @Test("a file is hashed as its bytes are, as sha256sum hashes it (larger than a read chunk)")
    func file() throws {
        let scratch = try Scratch()
        let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let path = try scratch.write("content", Data(bytes))
        let digest = try ContentHasher.hex(.sha256, ofFile: path)
        #expect(digest == ContentHasher.hex(.sha256, of: bytes))
        let peer = try Tool.execute("/usr/bin/sha256sum", [path]).check("sha256sum")
        #expect(peer.stdout.hasPrefix(digest + " "), "\(peer.stdout)")
    }

    @Test("a missing file is named in the error")
    func missingFile() throws {
        let scratch = try Scratch()
        let path = scratch.path("absent")
        let error = #expect(throws: (any Error).self) { try ContentHasher.hex(.sha256, ofFile: path) }
        #expect(described(error) == "open \(path): No such file or directory")
    }
}
