import Foundation

/// A throwaway certificate authority and a server certificate it signed for `localhost` and
/// `127.0.0.1`, made with the openssl CLI (EC P-256 keys: quick to generate).
package struct TestCertificates: Sendable {
    package let authority: String
    package let certificate: String
    package let key: String

    package init(in scratch: Scratch, directory: String = "pki") throws {
        try scratch.write("\(directory)/server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")
        let ec = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
        try Tool.execute("/bin/sh", ["-c", """
            openssl req -x509 \(ec) -keyout ca.key -out ca.pem -days 2 -subj /CN=rkt-test-ca && \
            openssl req \(ec) -keyout server.key -out server.csr -subj /CN=localhost && \
            openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext
            """], in: URL(fileURLWithPath: scratch.path(directory))).check("openssl")
        authority = scratch.path("\(directory)/ca.pem")
        certificate = scratch.path("\(directory)/server.pem")
        key = scratch.path("\(directory)/server.key")
    }
}
