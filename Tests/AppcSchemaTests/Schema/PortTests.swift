import AppcSchema
import TestSupport
import Testing

@Suite("Ports")
struct PortTests {
    @Test("a port decodes with count 1 and socketActivated false by default")
    func defaults() throws {
        let port = try decoded(Port.self, #"{"name":"http","protocol":"tcp","port":80}"#)
        #expect(port.name.value == "http" && port.protocol == "tcp" && port.port == 80)
        #expect(port.count == 1)
        #expect(port.socketActivated == false)
    }

    @Test("a count of 0 becomes 1; other counts are kept")
    func counts() throws {
        #expect(try decoded(Port.self, #"{"name":"p","port":80,"count":0}"#).count == 1)
        #expect(try decoded(Port.self, #"{"name":"p","port":80,"count":3}"#).count == 3)
    }

    @Test("ports run from 1 to 65535", arguments: [1, 65535] as [UInt])
    func validBounds(port: UInt) throws {
        #expect(try decoded(Port.self, #"{"name":"p","port":\#(port)}"#).port == port)
    }

    @Test("a port outside 1-65535 is refused", arguments: [0, 65536, 100000] as [UInt])
    func invalidPort(port: UInt) {
        #expect(decodingError(Port.self, #"{"name":"p","port":\#(port)}"#) == "port: port must be in 1-65535 range (got \(port))")
        #expect(decodingError(Port.self, #"{"name":"p"}"#) == "port: port must be in 1-65535 range (got 0)")
    }

    @Test("a range must end by 65535", arguments: [
        (65535, 1, true), (65535, 2, false), (1, 65535, true), (1, 65536, false), (60000, 5536, true), (60000, 5537, false),
    ] as [(UInt, UInt, Bool)])
    func rangeEnd(port: UInt, count: UInt, valid: Bool) {
        let error = decodingError(Port.self, #"{"name":"p","port":\#(port),"count":\#(count)}"#)
        #expect(error == (valid ? nil : "count: end of port range must be in 1-65535 range (port \(port), count \(count))"))
    }

    @Test("a count that overflows the range is refused (the reference's uint addition wraps and accepts it)")
    func overflowingCount() {
        #expect(decodingError(Port.self, #"{"name":"p","port":1,"count":18446744073709551615}"#)
            == "count: end of port range must be in 1-65535 range (port 1, count 18446744073709551615)")
    }

    @Test("the protocol is not checked and the name is an AC Name")
    func protocolAndName() throws {
        #expect(try decoded(Port.self, #"{"name":"p","protocol":"sctp-ish","port":9}"#).protocol == "sctp-ish")
        #expect(decodingError(Port.self, #"{"name":"HTTP","port":80}"#)
            == #"name: ACName must contain only lower case alphanumeric characters plus "-" (got "HTTP")"#)
    }

    @Test("every field is encoded, count and socketActivated included")
    func encoding() throws {
        #expect(compactText(try decoded(Port.self, #"{"port":80,"name":"http"}"#))
            == #"{"name":"http","protocol":"","port":80,"count":1,"socketActivated":false}"#)
    }

    @Test("building a port in code checks the range; a count of 0 is kept, as the reference writes it")
    func building() throws {
        #expect(try Port(name: ACName("p"), protocol: "tcp", port: 80).count == 1)
        #expect(try Port(name: ACName("p"), protocol: "tcp", port: 80, count: 0).count == 0)
        #expect(thrownError { try Port(name: ACName("p"), protocol: "tcp", port: 0) } == "port: port must be in 1-65535 range (got 0)")
    }

    // MARK: Command-line form

    @Test("the command-line form names the port first, then key=value parameters")
    func parsing() throws {
        let port = try Port(parsing: "dns,protocol=udp,port=53,count=3,socketActivated=true")
        #expect(port.name.value == "dns" && port.protocol == "udp" && port.port == 53 && port.count == 3 && port.socketActivated)
    }

    @Test("a port parsed without count keeps count 0, as the reference's PortFromString does")
    func parsingKeepsZeroCount() throws {
        // Reference: `actool patch-manifest --ports=http,protocol=tcp,port=80` writes "count":0.
        #expect(try Port(parsing: "http,protocol=tcp,port=80").count == 0)
    }

    @Test("command-line errors", arguments: [
        ("http,protocol=tcp,port=0", "port: port must be in 1-65535 range (got 0)"),
        ("http,protocol=tcp", "port: port must be in 1-65535 range (got 0)"),
        ("http,port=65536", #"port: "65536" is not a number from 0 to 65535"#),
        ("http,port=-1", #"port: "-1" is not a number from 0 to 65535"#),
        ("http,port=80,count=x", #"count: "x" is not a number from 0 to 65535"#),
        ("http,port=65535,count=2", "count: end of port range must be in 1-65535 range (port 65535, count 2)"),
        ("http,port=80,color=red", #"unknown port parameter "color""#),
        ("HTTP,port=80", #"ACName must contain only lower case alphanumeric characters plus "-" (got "HTTP")"#),
        ("http,port=80,port=81", #"label port with multiple values ["80" "81"]"#),
        ("http,port", #"malformed string "name=http,port" - has a label without a value: port"#),
        ("http,port=80,socketActivated=maybe", #"invalid boolean "maybe" (use true or false)"#),
    ])
    func parsingErrors(text: String, message: String) {
        #expect(thrownError { try Port(parsing: text) } == message)
    }
}
