import Stage1Kit
import Testing

@Suite("stage1: the run entrypoint's options")
struct Stage1OptionsTests {
    static let uuid = "11111111-2222-4333-8444-555555555555"
    static let token = String(repeating: "0f", count: 16)

    @Test("--mds-token on the host's network: AC_METADATA_URL on 127.0.0.1 and the default port, or --mds-port's")
    func metadataURL() throws {
        let host = try Stage1Options(arguments: ["--net=host", "--mds-token=\(Self.token)", Self.uuid])
        #expect(host.metadataURL == "http://127.0.0.1:18112/\(Self.token)")
        let port = try Stage1Options(arguments: ["--net=host", "--mds-token=\(Self.token)", "--mds-port=4242", Self.uuid])
        #expect(port.metadataURL == "http://127.0.0.1:4242/\(Self.token)")
    }

    @Test("no URL without a token, nor before a pod network has given the host's address")
    func noMetadataURL() throws {
        #expect(try Stage1Options(arguments: ["--net=host", Self.uuid]).metadataURL == nil)
        var pod = try Stage1Options(arguments: ["--net=default", "--mds-token=\(Self.token)", Self.uuid])
        #expect(pod.metadataURL == nil)
        pod.podHostAddress = "172.16.28.1"
        #expect(pod.metadataURL == "http://172.16.28.1:18112/\(Self.token)")
    }

    @Test("--mds-port must be a port number", arguments: ["0", "65536", "http", ""])
    func badPort(_ value: String) {
        #expect(throws: Stage1Error.badMetadataPort(value)) { try Stage1Options(arguments: ["--mds-port=\(value)", Self.uuid]) }
    }
}
