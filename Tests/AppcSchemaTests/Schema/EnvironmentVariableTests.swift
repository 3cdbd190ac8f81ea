import AppcSchema
import TestSupport
import Testing

@Suite("Environment variables")
struct EnvironmentVariableTests {
    @Test("names matching [A-Za-z_][A-Za-z_0-9.-]* are valid", arguments: ["A", "_", "path", "A1", "a.b-c_d", "_.-9"])
    func validNames(name: String) throws {
        #expect(try EnvironmentVariable(name: name, value: "v").name == name)
    }

    @Test("other names are refused", arguments: ["1A", "-A", ".A", "A B", "A=B", "A$", "ü"])
    func invalidNames(name: String) {
        #expect(thrownError { try EnvironmentVariable(name: name, value: "") }
            == "environment variable does not have valid identifier \"\(name)\"")
    }

    @Test("an empty name is refused")
    func emptyName() {
        #expect(thrownError { try EnvironmentVariable(name: "", value: "x") } == "environment variable name must not be empty")
    }

    @Test("decoding one variable alone does not check its name; the app checks the list")
    func decodingAlone() throws {
        #expect(try decoded(EnvironmentVariable.self, #"{"name":"1bad","value":"x"}"#).name == "1bad")
        #expect(decodingError(EnvironmentVariable.self, #"{"name":"A","value":1}"#) == "value: expected a string, got a number")
    }

    @Test("encodes name then value")
    func encoding() throws {
        #expect(compactText(try EnvironmentVariable(name: "A", value: "x&y")) == #"{"name":"A","value":"x\u0026y"}"#)
    }
}
