import AppcSchema
import TestSupport
import Testing

@Suite("Exposed pod ports")
struct ExposedPortTests {
    private func hostIP(_ text: String) throws -> String? {
        try decoded(ExposedPort.self, #"{"name":"p","hostPort":80,"hostIP":"\#(text)"}"#).hostIP
    }

    @Test("a host port needs only a name and a host port")
    func minimal() throws {
        let port = try decoded(ExposedPort.self, #"{"name":"http","hostPort":8080}"#)
        #expect(port.name.value == "http" && port.hostPort == 8080 && port.hostIP == nil && port.podPort == nil)
        #expect(compactText(port) == #"{"name":"http","hostPort":8080}"#)
    }

    @Test("the host port is not range-checked, as in the reference")
    func hostPortUnchecked() throws {
        #expect(try decoded(ExposedPort.self, #"{"name":"p","hostPort":70000}"#).hostPort == 70000)
        #expect(decodingError(ExposedPort.self, #"{"name":"p","hostPort":-1}"#) == "hostPort: expected a non-negative integer, got -1")
    }

    @Test("host addresses are kept in Go's canonical form", arguments: [
        ("1.2.3.4", "1.2.3.4"), ("::1", "::1"), ("0:0:0:0:0:0:0:1", "::1"), ("::ffff:10.0.0.1", "10.0.0.1"),
        ("2001:DB8:0:0:1:0:0:1", "2001:db8::1:0:0:1"), ("fe80::1", "fe80::1"), ("::", "::"), ("1:0:0:0:0:0:0:0", "1::"), ("::ffff:0:1", "0.0.0.1"), ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
    ])
    func canonical(text: String, expected: String) throws {
        #expect(try hostIP(text) == expected)
    }

    @Test("IPv6 addresses with a zero prefix are written as hex groups, as Go's net.IP does", arguments: [
        ("::1:2", "::1:2"), ("::1.2.3.4", "::102:304"), ("::a:b", "::a:b"),
    ])
    func goIPv6Form(text: String, expected: String) throws {
        // Reference (Go net.IP.String): "::1:2" stays "::1:2"; glibc's inet_ntop writes "::0.1.0.2".
        #expect(try hostIP(text) == expected)
    }

    @Test("invalid addresses are refused", arguments: ["1.2.3", "01.2.3.4", "256.1.1.1", "fe80::1%eth0", "example.com", " 1.2.3.4"])
    func invalid(text: String) {
        #expect(decodingError(ExposedPort.self, #"{"name":"p","hostPort":80,"hostIP":"\#(text)"}"#) == "hostIP: invalid IP address: \(text)")
    }

    @Test("an empty host address means none, as Go's net.IP decodes it")
    func emptyHostIP() throws {
        // Reference: {"hostIP":""} validates and is omitted when written.
        #expect(try hostIP("") == nil)
    }

    @Test("the pod port follows the port rules")
    func podPort() throws {
        let port = try decoded(ExposedPort.self, #"{"name":"dns","hostPort":53,"podPort":{"name":"dns","protocol":"udp","port":53}}"#)
        #expect(port.podPort?.count == 1)
        #expect(decodingError(ExposedPort.self, #"{"name":"p","hostPort":1,"podPort":{"name":"x","port":0}}"#)
            == "podPort.port: port must be in 1-65535 range (got 0)")
    }

    @Test("building an exposed port in code canonicalizes the address")
    func building() throws {
        #expect(try ExposedPort(name: ACName("p"), hostPort: 1, hostIP: "0::1").hostIP == "::1")
        #expect(thrownError { try ExposedPort(name: ACName("p"), hostPort: 1, hostIP: "nope") } == "invalid IP address: nope")
    }
}
