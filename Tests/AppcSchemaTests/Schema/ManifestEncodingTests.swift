import AppcSchema
import TestSupport
import Testing

/// Byte-exact encodings. Every expected string here is what the reference writes for the same input:
/// image manifests are `actool cat-manifest` output of an image made by the reference's `actool build`
/// (which re-serialises the manifest), pod manifests are the reference schema's `json.Marshal` output.
@Suite("Manifest encoding, byte-identical to the reference")
struct ManifestEncodingTests {
    @Test("a minimal image manifest is written in the reference's field order")
    func minimalImage() throws {
        let manifest = try decoded(ImageManifest.self, #"{"acVersion":"0.8.11","acKind":"ImageManifest","name":"example.com/app"}"#)
        #expect(compactText(manifest) == #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/app"}"#)
    }

    @Test("a rich image manifest is written exactly as the reference writes it")
    func richImage() throws {
        let manifest = try decoded(ImageManifest.self, Self.richManifest)
        #expect(compactText(manifest) == #"{"acKind":"ImageManifest","acVersion":"0.8.11","name":"example.com/rich-app","labels":[{"name":"version","value":"1.2.3"},{"name":"os","value":"linux"},{"name":"arch","value":"amd64"}],"app":{"exec":["/bin/server","--listen=:80","a\u003cb\u003e\u0026c"],"eventHandlers":[{"name":"pre-start","exec":["/bin/prep"]},{"name":"post-stop","exec":null}],"user":"1000","group":"1000","supplementaryGIDs":[10,-1],"workingDirectory":"/srv","environment":[{"name":"PATH","value":"/usr/bin:/bin"},{"name":"GREETING","value":"café \u2028 tab\there"}],"mountPoints":[{"name":"data","path":"/var/data","readOnly":true},{"name":"cache","path":"/var/cache"}],"ports":[{"name":"http","protocol":"tcp","port":80,"count":1,"socketActivated":false},{"name":"dns","protocol":"udp","port":53,"count":2,"socketActivated":true}],"isolators":[{"name":"resource/memory","value":{"limit":"1G","request":512e6}},{"name":"resource/cpu","value":{"request":"250m","limit":1.50}},{"name":"os/linux/capabilities-retain-set","value":{"set":["CAP_NET_BIND_SERVICE","CAP_\u003c\u0026\u003e"]}},{"name":"os/linux/oom-score-adj","value":-0}],"userAnnotations":{"alpha":"first","zeta":"last"},"userLabels":{"env":"prod","tier":"web"}},"annotations":[{"name":"created","value":"2016-01-02T15:04:05.123+01:00"},{"name":"homepage","value":"https://example.com/?a=1\u0026b=\u003c2\u003e"},{"name":"authors","value":"Jane \u003cjane@example.com\u003e"}],"dependencies":[{"imageName":"example.com/base","imageID":"sha512-abc","labels":[{"name":"version","value":"1"}],"size":5},{"imageName":"example.com/other"}],"pathWhitelist":["/bin/server","relative/ok"]}"#)
    }

    @Test("indented output matches actool cat-manifest --pretty-print")
    func prettyPrint() throws {
        let manifest = try decoded(ImageManifest.self, Self.richManifest)
        let expected = #"""
            {
                "acKind": "ImageManifest",
                "acVersion": "0.8.11",
                "name": "example.com/rich-app",
                "labels": [
                    {
                        "name": "version",
                        "value": "1.2.3"
                    },
                    {
                        "name": "os",
                        "value": "linux"
                    },
                    {
                        "name": "arch",
                        "value": "amd64"
                    }
                ],
                "app": {
                    "exec": [
                        "/bin/server",
                        "--listen=:80",
                        "a\u003cb\u003e\u0026c"
                    ],
                    "eventHandlers": [
                        {
                            "name": "pre-start",
                            "exec": [
                                "/bin/prep"
                            ]
                        },
                        {
                            "name": "post-stop",
                            "exec": null
                        }
                    ],
                    "user": "1000",
                    "group": "1000",
                    "supplementaryGIDs": [
                        10,
                        -1
                    ],
                    "workingDirectory": "/srv",
                    "environment": [
                        {
                            "name": "PATH",
                            "value": "/usr/bin:/bin"
                        },
                        {
                            "name": "GREETING",
                            "value": "café \u2028 tab\there"
                        }
                    ],
                    "mountPoints": [
                        {
                            "name": "data",
                            "path": "/var/data",
                            "readOnly": true
                        },
                        {
                            "name": "cache",
                            "path": "/var/cache"
                        }
                    ],
                    "ports": [
                        {
                            "name": "http",
                            "protocol": "tcp",
                            "port": 80,
                            "count": 1,
                            "socketActivated": false
                        },
                        {
                            "name": "dns",
                            "protocol": "udp",
                            "port": 53,
                            "count": 2,
                            "socketActivated": true
                        }
                    ],
                    "isolators": [
                        {
                            "name": "resource/memory",
                            "value": {
                                "limit": "1G",
                                "request": 512e6
                            }
                        },
                        {
                            "name": "resource/cpu",
                            "value": {
                                "request": "250m",
                                "limit": 1.50
                            }
                        },
                        {
                            "name": "os/linux/capabilities-retain-set",
                            "value": {
                                "set": [
                                    "CAP_NET_BIND_SERVICE",
                                    "CAP_\u003c\u0026\u003e"
                                ]
                            }
                        },
                        {
                            "name": "os/linux/oom-score-adj",
                            "value": -0
                        }
                    ],
                    "userAnnotations": {
                        "alpha": "first",
                        "zeta": "last"
                    },
                    "userLabels": {
                        "env": "prod",
                        "tier": "web"
                    }
                },
                "annotations": [
                    {
                        "name": "created",
                        "value": "2016-01-02T15:04:05.123+01:00"
                    },
                    {
                        "name": "homepage",
                        "value": "https://example.com/?a=1\u0026b=\u003c2\u003e"
                    },
                    {
                        "name": "authors",
                        "value": "Jane \u003cjane@example.com\u003e"
                    }
                ],
                "dependencies": [
                    {
                        "imageName": "example.com/base",
                        "imageID": "sha512-abc",
                        "labels": [
                            {
                                "name": "version",
                                "value": "1"
                            }
                        ],
                        "size": 5
                    },
                    {
                        "imageName": "example.com/other"
                    }
                ],
                "pathWhitelist": [
                    "/bin/server",
                    "relative/ok"
                ]
            }
            """#
        #expect(String(decoding: JSONWriter.indented(manifest.json), as: UTF8.self) == expected)
    }

    @Test("empty lists are omitted, an absent exec is null, and key case and duplicates are resolved")
    func omissionsAndKeys() throws {
        let manifest = try decoded(ImageManifest.self, #"""
            {"ACKIND":"ImageManifest","name":"example.com/ignored","Name":"example.com/last-wins","AcVersion":"1.0.0-rc.1+build.5","unknown":{"deep":[1,2,3]},
             "labels":[], "annotations":[], "dependencies":[], "pathWhitelist":[],
             "app":{"USER":"0","Group":"0","environment":[],"eventHandlers":[],"isolators":[],"mountPoints":[],"ports":[],"supplementaryGIDs":[],"userAnnotations":{},"userLabels":{}}}
            """#)
        #expect(compactText(manifest) == #"{"acKind":"ImageManifest","acVersion":"1.0.0-rc.1+build.5","name":"example.com/last-wins","app":{"exec":null,"user":"0","group":"0"}}"#)
    }

    @Test("strings are escaped as Go escapes them and isolator values are kept verbatim but compacted")
    func escapesAndIsolatorValues() throws {
        let manifest = try decoded(ImageManifest.self, #"""
            {"acKind":"ImageManifest","acVersion":"01.02.03-","name":"example.com/escapes",
             "labels":[{"name":"x","value":"\u0001\b\f\n\r\t\"\\\/ \u007f \u00e9 é \u2029 \ud83d\ude00 \ud800"}],
             "app":{"exec":[],"user":"root","group":"root","isolators":[{"name":"os/unix/sysctl","value":{"net.ipv4.ip_forward":"\u0031","b":"<\u003e"}},{"name":"os/linux/no-new-privileges","value":true},{"name":"os/linux/seccomp-retain-set","value":{"set":["@appc.io/all"]}},{"name":"os/linux/selinux-context","value":{"user":"u","role":"r","type":"t","level":"s0:c1"}},{"name":"resource/block-bandwidth","value":{"default":true,"limit":"10M"}},{"name":"os/linux/cpu-shares","value":1024}]}}
            """#)
        #expect(compactText(manifest) == #"{"acKind":"ImageManifest","acVersion":"1.2.3","name":"example.com/escapes","labels":[{"name":"x","value":"\u0001\u0008\u000c\n\r\t\"\\/ \#u{7F} é é \u2029 😀 �"}],"app":{"exec":[],"user":"root","group":"root","isolators":[{"name":"os/unix/sysctl","value":{"net.ipv4.ip_forward":"\u0031","b":"\u003c\u003e"}},{"name":"os/linux/no-new-privileges","value":true},{"name":"os/linux/seccomp-retain-set","value":{"set":["@appc.io/all"]}},{"name":"os/linux/selinux-context","value":{"user":"u","role":"r","type":"t","level":"s0:c1"}},{"name":"resource/block-bandwidth","value":{"default":true,"limit":"10M"}},{"name":"os/linux/cpu-shares","value":1024}]}}"#)
    }

    @Test("re-encoding the encoded bytes gives the same bytes")
    func stable() throws {
        let first = try decoded(ImageManifest.self, Self.richManifest).compactJSON
        let second = try ImageManifest.decode(first).compactJSON
        #expect(first == second)
    }

    // MARK: Pod manifests

    @Test("absent pod lists are written as null, acVersion first")
    func minimalPod() throws {
        let pod = try decoded(PodManifest.self, #"{"acKind":"PodManifest","acVersion":"0.8.11"}"#)
        #expect(compactText(pod) == #"{"acVersion":"0.8.11","acKind":"PodManifest","apps":null,"volumes":null,"isolators":null,"annotations":null,"ports":null}"#)
    }

    @Test("empty pod lists are written as empty lists")
    func emptyPodLists() throws {
        let pod = try decoded(PodManifest.self, #"{"acKind":"PodManifest","acVersion":"0.8.11","apps":[],"volumes":[],"isolators":[],"annotations":[],"ports":[]}"#)
        #expect(compactText(pod) == #"{"acVersion":"0.8.11","acKind":"PodManifest","apps":[],"volumes":[],"isolators":[],"annotations":[],"ports":[]}"#)
    }

    @Test("a rich pod manifest is written exactly as the reference writes it")
    func richPod() throws {
        let pod = try decoded(PodManifest.self, #"{"ACKIND":"PodManifest","acversion":"0.8.11","apps":[{"name":"web","image":{"id":"sha512-aa","name":"example.com/web","labels":[{"name":"version","value":"1"}]},"app":{"exec":["/w"],"user":"0","group":"0"},"readOnlyRootFS":true,"mounts":[{"volume":"data","path":"/d"},{"volume":"scratch","path":"/s","appVolume":{"name":"scratch","kind":"empty","mode":"0700"}}],"annotations":[{"name":"a","value":"<b>"}]},{"name":"side","image":{"id":"sha512-bb"},"readOnlyRootFS":false}],"volumes":[{"name":"data","kind":"host","source":"/srv/data","readOnly":true,"recursive":false},{"name":"tmp","kind":"empty","uid":1000}],"isolators":[{"name":"example.com/custom","value":{ "x" : [1, 2.50, "<&>"] }},{"name":"os/unix/sysctl","value":{"net.core.somaxconn":"1024"}},{"name":"os/unix/sysctl","value":{}}],"annotations":[{"name":"created","value":"2016-01-02T15:04:05Z"}],"ports":[{"name":"http","hostPort":8080,"hostIP":"0:0:0:0:0:0:0:1"},{"name":"dns","hostPort":53,"hostIP":"::ffff:10.0.0.1","podPort":{"name":"dns","protocol":"udp","port":53}},{"name":"v4","hostPort":80,"hostIP":"192.168.1.1"}],"userAnnotations":{"z":"1","a":"2"},"userLabels":{"k":"v"}}"#)
        #expect(compactText(pod) == #"{"acVersion":"0.8.11","acKind":"PodManifest","apps":[{"name":"web","image":{"name":"example.com/web","id":"sha512-aa","labels":[{"name":"version","value":"1"}]},"app":{"exec":["/w"],"user":"0","group":"0"},"readOnlyRootFS":true,"mounts":[{"volume":"data","path":"/d"},{"volume":"scratch","path":"/s","appVolume":{"name":"scratch","kind":"empty","mode":"0700","uid":0,"gid":0}}],"annotations":[{"name":"a","value":"\u003cb\u003e"}]},{"name":"side","image":{"id":"sha512-bb"}}],"volumes":[{"name":"data","kind":"host","source":"/srv/data","readOnly":true,"recursive":false},{"name":"tmp","kind":"empty","mode":"0755","uid":1000,"gid":0}],"isolators":[{"name":"example.com/custom","value":{"x":[1,2.50,"\u003c\u0026\u003e"]}},{"name":"os/unix/sysctl","value":{"net.core.somaxconn":"1024"}},{"name":"os/unix/sysctl","value":{}}],"annotations":[{"name":"created","value":"2016-01-02T15:04:05Z"}],"ports":[{"name":"http","hostPort":8080,"hostIP":"::1"},{"name":"dns","hostPort":53,"hostIP":"10.0.0.1","podPort":{"name":"dns","protocol":"udp","port":53,"count":1,"socketActivated":false}},{"name":"v4","hostPort":80,"hostIP":"192.168.1.1"}],"userAnnotations":{"a":"2","z":"1"},"userLabels":{"k":"v"}}"#)
    }

    static let richManifest = #"""
        {
          "acKind": "ImageManifest",
          "acVersion": "0.8.11",
          "name": "example.com/rich-app",
          "labels": [
            {"name": "version", "value": "1.2.3"},
            {"name": "os", "value": "linux"},
            {"name": "arch", "value": "amd64"}
          ],
          "app": {
            "exec": ["/bin/server", "--listen=:80", "a<b>&c"],
            "user": "1000",
            "group": "1000",
            "supplementaryGids": [10, -1],
            "eventHandlers": [
              {"name": "pre-start", "exec": ["/bin/prep"]},
              {"name": "post-stop"}
            ],
            "workingDirectory": "/srv",
            "environment": [
              {"name": "PATH", "value": "/usr/bin:/bin"},
              {"name": "GREETING", "value": "caf\u00e9 \u2028 tab\there"}
            ],
            "mountPoints": [
              {"name": "data", "path": "/var/data", "readOnly": true},
              {"name": "cache", "path": "/var/cache", "readOnly": false}
            ],
            "ports": [
              {"name": "http", "protocol": "tcp", "port": 80},
              {"name": "dns", "protocol": "udp", "port": 53, "count": 2, "socketActivated": true}
            ],
            "isolators": [
              {"name": "resource/memory", "value": {"limit": "1G", "request": 512e6}},
              {"name": "resource/cpu", "value": { "request" : "250m" , "limit":1.50 }},
              {"name": "os/linux/capabilities-retain-set", "value": {"set": ["CAP_NET_BIND_SERVICE", "CAP_<&>"]}},
              {"name": "os/linux/oom-score-adj", "value": -0}
            ],
            "userAnnotations": {"zeta": "last", "alpha": "first"},
            "userLabels": {"tier": "web", "env": "prod"}
          },
          "annotations": [
            {"name": "created", "value": "2016-01-02T15:04:05.123+01:00"},
            {"name": "homepage", "value": "https://example.com/?a=1&b=<2>"},
            {"name": "authors", "value": "Jane <jane@example.com>"}
          ],
          "dependencies": [
            {"imageName": "example.com/base", "imageID": "sha512-abc", "labels": [{"name": "version", "value": "1"}], "size": 5},
            {"imageName": "example.com/other", "size": 0}
          ],
          "pathWhitelist": ["/bin/server", "relative/ok"]
        }
        """#
}
