/// How stage1 fills an app's /etc/resolv.conf or /etc/hosts: rkt's `--dns-conf-mode` values,
/// which stage0 chooses from `--dns…` and `--hosts-entry`.
public enum NameFileMode: String, Sendable {
    /// The host's file.
    case host
    /// The image's own file, or none (resolv.conf only).
    case none
    /// The file stage0 wrote in the stage1 rootfs (/etc/rkt-resolv.conf, /etc/rkt-hosts).
    case stage0
    /// The image's file, else localhost and the pod's hostname (hosts) or the host's (resolv.conf).
    case `default`
}
