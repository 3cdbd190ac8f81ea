/// rkt's two built-in networks (stage1's `net.d`): `default`, a ptp network with a default route
/// and masquerading, and `default-restricted`, which reaches only the host.
enum BuiltinNetworks {
    static let files: [(name: String, content: String)] = [
        ("99-default.conf", """
        {"cniVersion": "0.4.0", "name": "default", "type": "ptp", "ipMasq": true,
         "ipam": {"type": "host-local", "subnet": "172.16.28.0/24", "routes": [{"dst": "0.0.0.0/0"}]}}
        """),
        ("99-default-restricted.conf", """
        {"cniVersion": "0.4.0", "name": "default-restricted", "type": "ptp", "ipMasq": false,
         "ipam": {"type": "host-local", "subnet": "172.31.0.0/16"}}
        """),
    ]
}
