import AppcSchema
import TestSupport
import Testing

@Suite("AC Kind")
struct ACKindTests {
    @Test("the two kinds decode from their exact names")
    func validKinds() throws {
        #expect(try ACKind(json: .string("ImageManifest")) == .imageManifest)
        #expect(try ACKind(json: .string("PodManifest")) == .podManifest)
        #expect(ACKind.allCases.map(\.rawValue) == ["ImageManifest", "PodManifest"])
    }

    @Test("an empty kind must be set")
    func emptyKind() {
        #expect(thrownError { try ACKind(json: .string("")) } == "ACKind must be set")
    }

    @Test("any other name is a bad kind, case included", arguments: ["Foo", "imagemanifest", "IMAGEMANIFEST", " ImageManifest"])
    func badKind(text: String) {
        #expect(thrownError { try ACKind(json: .string(text)) } == "bad ACKind: \(text)")
    }

    @Test("a kind that is not a string is refused")
    func notAString() {
        #expect(thrownError { try ACKind(json: .number("5")) } == "expected a string, got a number")
    }

    @Test("encodes as its name")
    func encoding() {
        #expect(compactText(ACKind.podManifest) == #""PodManifest""#)
    }
}
