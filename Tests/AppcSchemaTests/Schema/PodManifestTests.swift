import AppcSchema
import TestSupport
import Testing

@Suite("Pod manifests")
struct PodManifestTests {
    private func podError(_ members: String) -> String? {
        decodingError(PodManifest.self, Fixture.pod(members))
    }

    @Test("acVersion is optional, as in the reference")
    func versionOptional() throws {
        let pod = try decoded(PodManifest.self, #"{"acKind":"PodManifest","apps":[]}"#)
        #expect(pod.acVersion == nil)
        #expect(pod.apps?.isEmpty == true)
        #expect(pod.volumes == nil && pod.isolators == nil && pod.annotations == nil && pod.ports == nil)
    }

    @Test("a present acVersion must be a valid version")
    func versionChecked() {
        #expect(decodingError(PodManifest.self, #"{"acKind":"PodManifest","acVersion":"x"}"#) == #"acVersion: SemVer is bad (got "x")"#)
        #expect(decodingError(PodManifest.self, #"{"acKind":"PodManifest","acVersion":"0.0.0"}"#) == "acVersion: SemVer cannot be zero")
    }

    @Test("the kind must be PodManifest", arguments: [
        (#"{"acVersion":"0.8.11"}"#, #"acKind: missing or bad ACKind (must be "PodManifest")"#),
        (#"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"a"}"#, #"acKind: missing or bad ACKind (must be "PodManifest")"#),
        (#"{"acKind":"Pod"}"#, "acKind: bad ACKind: Pod"),
        (#"{"acKind":""}"#, "acKind: ACKind must be set"),
        (#"{"ACKIND":"PodManifest"}"#, nil),
    ] as [(String, String?)])
    func kind(json: String, message: String?) {
        #expect(decodingError(PodManifest.self, json) == message)
    }

    @Test("app names must be unique")
    func duplicateApps() {
        #expect(podError(#""apps":[{"name":"a","image":{"id":"sha512-aa"}},{"name":"a","image":{"id":"sha512-bb"}}]"#)
            == #"apps[1]: duplicate apps of name "a""#)
    }

    @Test("volume names must be unique")
    func duplicateVolumes() {
        #expect(podError(#""volumes":[{"name":"v","kind":"empty"},{"name":"v","kind":"host","source":"/x"}]"#)
            == #"volumes[1]: duplicate volume name "v""#)
    }

    @Test("volumes follow the volume rules with their paths")
    func volumeRules() throws {
        #expect(podError(#""volumes":[{"name":"v","kind":"host","source":"x"}]"#)
            == #"volumes[0].source: source for host volume must be absolute path (got "x")"#)
        let pod = try decoded(PodManifest.self, Fixture.pod(#""volumes":[{"name":"v","kind":"empty"}]"#))
        #expect(pod.volumes?.first?.mode == "0755")
    }

    @Test("pod-level isolators are not checked as a set: unknown, repeated and conflicting ones are accepted")
    func podIsolatorsUnchecked() throws {
        let pod = try decoded(PodManifest.self, Fixture.pod(#"""
            "isolators":[{"name":"example.com/whatever","value":{"x":1}},
            {"name":"os/unix/sysctl","value":{}},{"name":"os/unix/sysctl","value":{}},
            {"name":"os/linux/seccomp-retain-set","value":{"set":["a"]}},{"name":"os/linux/seccomp-remove-set","value":{"set":["a"]}}]
            """#))
        #expect(pod.isolators?.map { $0.kind?.rawValue ?? "unknown" }
            == ["unknown", "os/unix/sysctl", "os/unix/sysctl", "os/linux/seccomp-retain-set", "os/linux/seccomp-remove-set"])
    }

    @Test("known pod-level isolators still have their values checked")
    func podIsolatorValues() {
        #expect(podError(#""isolators":[{"name":"resource/cpu","value":{"default":true}}]"#) == "isolators[0].value: default must be false")
    }

    @Test("exposed ports are checked with their paths")
    func ports() {
        #expect(podError(#""ports":[{"name":"p","hostPort":80,"hostIP":"1.2.3"}]"#) == "ports[0].hostIP: invalid IP address: 1.2.3")
    }

    @Test("pod annotations follow the annotation rules")
    func annotations() {
        #expect(podError(#""annotations":[{"name":"created","value":"yesterday"}]"#)
            == #"annotations[0].value: created: bad Date "yesterday" (must be RFC 3339, like 2006-01-02T15:04:05Z)"#)
    }

    @Test("user annotations and labels are string maps")
    func userMaps() throws {
        let pod = try decoded(PodManifest.self, Fixture.pod(#""userAnnotations":{"a":"1"},"userLabels":{"b":"2"}"#))
        #expect(pod.userAnnotations == ["a": "1"] && pod.userLabels == ["b": "2"])
    }

    @Test("building a pod in code checks duplicate names")
    func building() throws {
        let app = RuntimeApp(name: try ACName("a"), image: RuntimeImage(name: nil, id: try ImageID("sha512-aa")), app: nil)
        #expect(thrownError { try PodManifest(apps: [app, app]) } == #"apps[1]: duplicate apps of name "a""#)
        let pod = try PodManifest(apps: [app])
        #expect(pod.acVersion == AppcSpec.version)
    }

    // MARK: Go null semantics

    @Test("a null acVersion is refused, as Go's SemVer decoder is called with null")
    func nullVersion() {
        // Reference: error unmarshaling manifest: SemVer is bad.
        #expect(decodingError(PodManifest.self, #"{"acVersion":null,"acKind":"PodManifest"}"#) != nil)
    }

    @Test("a null app is the zero app, as Go decodes it")
    func nullApp() {
        // Reference: {"apps":[null]} validates.
        #expect(podError(#""apps":[null]"#) == nil)
    }

    @Test("a null pod isolator name is refused, as Go's ACIdentifier decoder is called with null")
    func nullIsolatorName() {
        // Reference: invalid PodManifest: ACIdentifier cannot be empty.
        #expect(podError(#""isolators":[{"name":null,"value":1}]"#) == "isolators[0].name: ACIdentifier cannot be empty")
    }
}
