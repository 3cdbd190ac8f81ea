import AppcSchema
import TestSupport
import Testing

@Suite("Event handlers")
struct EventHandlerTests {
    @Test("the two known names are accepted", arguments: EventHandler.names)
    func knownNames(name: String) throws {
        let handler = try EventHandler(name: name, exec: ["/bin/true"])
        #expect(handler.name == name && handler.exec == ["/bin/true"])
    }

    @Test("any other name is refused when building one in code")
    func unknownName() {
        #expect(thrownError { try EventHandler(name: "on-crash", exec: []) }
            == #"bad eventHandler "name": "on-crash" (must be one of: pre-start, post-stop)"#)
        #expect(thrownError { try EventHandler(name: "", exec: []) } == #"eventHandler "name" cannot be empty"#)
        #expect(thrownError { try EventHandler(name: "Pre-Start", exec: []) }
            == #"bad eventHandler "name": "Pre-Start" (must be one of: pre-start, post-stop)"#)
    }

    @Test("exec is always encoded, null when absent")
    func encoding() throws {
        #expect(compactText(try decoded(EventHandler.self, #"{"name":"post-stop"}"#)) == #"{"name":"post-stop","exec":null}"#)
        #expect(compactText(try EventHandler(name: "pre-start", exec: ["/a", "<b>"])) == #"{"name":"pre-start","exec":["/a","\u003cb\u003e"]}"#)
    }

    @Test("a null handler is refused with a clear message")
    func nullHandler() {
        #expect(decodingError(EventHandler.self, "null") == "expected an object, got null")
    }
}
